"""The `ficlens` command: argument parsing, messages and exit codes only.

All work happens in the library; this module turns `FiclensError`s into one-line messages on
stderr and documented exit codes (see errors.py and the README), and never shows a traceback
unless asked with --debug.
"""

from __future__ import annotations

import argparse
import logging
import sys
import importlib
import importlib.util
from pathlib import Path
from typing import Sequence, TextIO

from . import __version__
from .commands import COMMAND_MODULES, RunTally, UsageError
from .errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, FiclensError
from .model import Work
from .pipeline import AnalysisConfig, Pipeline
from .read import ReadFailure, ReadLimits, iter_works
from .render import FORMATS, render

log = logging.getLogger("ficlens")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ficlens",
        description="Read fan fiction like a careful reader and an AO3 tag wrangler.",
    )
    parser.add_argument("--version", action="version", version=f"ficlens {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    analyze = sub.add_parser("analyze", help="analyse works and print or write their profiles")
    analyze.add_argument("paths", nargs="+", metavar="PATH", help="file, directory, .zip or .jsonl")
    analyze.add_argument(
        "-f",
        "--format",
        action="append",
        choices=FORMATS,
        help="output format (repeat with -o for several); default: text",
    )
    analyze.add_argument("-o", "--output", type=Path, metavar="DIR", help="write one file per work and format into DIR")
    analyze.add_argument("--force", action="store_true", help="overwrite existing output files")
    analyze.add_argument("--max-file-mb", type=float, default=200.0, help="refuse input files larger than this")
    analyze.add_argument("--max-words", type=int, default=2_000_000, help="refuse full analysis of longer works")
    analyze.add_argument(
        "--characters", type=Path, metavar="FILE", help="a cast YAML file adding or overriding characters"
    )
    analyze.add_argument(
        "--kb",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a directory of fandom YAML files adding to or overriding the shipped knowledge base",
    )

    parts = sub.add_parser("parts", help="list the parts of one text file, streaming (for huge files)")
    parts.add_argument("path", type=Path)

    sub.add_parser("schema", help="print the JSON Schema of a profile")

    evaluate = sub.add_parser("eval", help="measure accuracy on LitBank, PDNC or tagged works (see docs/evaluation.md)")
    evaluate.add_argument("corpus", choices=["litbank", "pdnc", "tags"])
    evaluate.add_argument("dir", type=Path, help="the corpus folder")
    evaluate.add_argument("--with-cast", action="store_true", help="PDNC: give each novel's cast (--characters mode)")
    evaluate.add_argument("--limit", type=int, help="only the first N documents")
    evaluate.add_argument(
        "--split",
        choices=["tune", "check", "all"],
        default="all",
        help="a stable half of the documents by id: tune on one, confirm on the other",
    )
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(f"{__package__}.commands.{name}") is not None:
            _command_module(name).register(sub)
    return parser


def _command_module(name: str):
    return importlib.import_module(f".commands.{name}", __package__)


def _limits(args: argparse.Namespace) -> ReadLimits:
    if args.max_file_mb <= 0:
        raise UsageError("--max-file-mb must be positive")
    return ReadLimits(max_file_bytes=int(args.max_file_mb * 1_000_000))


def _analyze_one(
    work: Work,
    pipeline: Pipeline,
    args: argparse.Namespace,
    formats: list[str],
    out: TextIO,
    count: int,
    first: bool = True,
) -> None:
    from .output import check_writable, output_paths, write_reports

    if args.output:
        check_writable(output_paths(work.id, args.output, formats), args.force)
    profile = pipeline(work)
    if args.output:
        for path in write_reports(profile, args.output, formats, args.force):
            log.info("wrote %s", path)
        return
    fmt = formats[0]
    if fmt == "json" and count > 1:
        import json

        out.write(json.dumps(profile.to_dict(), ensure_ascii=False) + "\n")  # JSON Lines for several works
        return
    if fmt == "html" and count > 1:
        raise UsageError("several works: use -o DIR to write one HTML report per work")
    if fmt in ("text", "ao3") and not first:
        out.write("\n")  # a blank line between works
    out.write(render(profile, fmt))


def _cmd_analyze(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    formats = args.format or ["text"]
    if len(set(formats)) != len(formats):
        raise UsageError("each --format may be given once")
    if len(formats) > 1 and not args.output:
        raise UsageError("several --format values need -o DIR")
    if args.output and args.output.exists() and not args.output.is_dir():
        raise UsageError(f"{args.output} exists and is not a directory")
    limits = _limits(args)
    pipeline = Pipeline(
        config=AnalysisConfig(kb_dirs=tuple(args.kb), characters_file=args.characters, max_words=args.max_words)
    )
    _ = pipeline.resources.kb, pipeline.resources.cast  # a bad --kb or --characters fails before any work
    tally = RunTally()
    multi = len(args.paths) > 1 or any(Path(p).is_dir() for p in args.paths)
    for path in args.paths:
        try:
            for item in iter_works(path, limits, skip=args.output):
                if isinstance(item, ReadFailure):
                    tally.fail(f"skipped {item.message}", item.error.exit_code, err)
                    continue
                try:
                    _analyze_one(
                        item,
                        pipeline,
                        args,
                        formats,
                        out,
                        2 if multi or tally.analysed else 1,
                        first=tally.analysed == 0,
                    )
                    tally.analysed += 1
                except (UsageError, BrokenPipeError):
                    raise
                except FiclensError as exc:
                    tally.fail(f"{item.source or item.id}: {exc.message}", exc.exit_code, err)
                except Exception as exc:  # a bug: report it, keep going with the other works
                    log.debug("internal error", exc_info=True)
                    tally.fail(
                        f"{item.source or item.id}: internal error: {exc!r} (please report; --debug shows details)",
                        EXIT_INTERNAL,
                        err,
                    )
                    if args.debug:
                        raise
        except UsageError:
            raise
        except FiclensError as exc:
            tally.fail(exc.message, exc.exit_code, err)
    if tally.failures and (tally.analysed or len(tally.failures) > 1):
        print(f"ficlens: {tally.analysed} work(s) analysed, {len(tally.failures)} problem(s)", file=err)
    return tally.exit_code()


def _cmd_parts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .read.text import iter_file_parts

    count = 0
    for part in iter_file_parts(args.path):
        out.write(f"{part.kind}\t{part.start}\t{part.end}\t{part.chapter or ''}\t{part.title or ''}\n")
        count += 1
    if not count:
        print(f"ficlens: {args.path}: no parts found", file=err)
        return EXIT_INPUT
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from importlib.resources import files

    out.write(files("ficlens").joinpath("data/profile.schema.json").read_text(encoding="utf-8"))
    return EXIT_OK


def _cmd_eval(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .evalcmd import Report, run_litbank, run_pdnc, run_tags

    report: Report
    if args.corpus == "litbank":
        report = run_litbank(args.dir, limit=args.limit, split=args.split)
    elif args.corpus == "tags":
        report = run_tags(args.dir, limit=args.limit, split=args.split)
    else:
        report = run_pdnc(args.dir, with_cast=args.with_cast, limit=args.limit, split=args.split)
    if args.json:
        import json

        out.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        out.write(report.to_text() + "\n")
    return EXIT_OK


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not complain again."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


COMMANDS = {"analyze": _cmd_analyze, "parts": _cmd_parts, "schema": _cmd_schema, "eval": _cmd_eval}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its one-line usage error
        return int(exc.code or 0)
    logging.basicConfig(
        level=[logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)],
        format="ficlens: %(levelname)s: %(message)s",
        stream=err,
    )
    if not args.command:
        parser.print_help(err)
        return EXIT_USAGE
    try:
        if args.command in COMMANDS:
            return COMMANDS[args.command](args, out, err)
        return args.run(args, out, err)
    except FiclensError as exc:
        print(f"ficlens: {exc.message}", file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ficlens: interrupted", file=err)
        return 130
    except BrokenPipeError:  # the reader went away (`ficlens analyze … | head`): not an error
        if out is sys.stdout:
            _silence_stdout()
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        print(f"ficlens: internal error: {exc!r} (please report; --debug shows details)", file=err)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
