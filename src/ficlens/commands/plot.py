"""`ficlens plot WORK...`: a work's plots (presence, speaking share, network, conversations) as files.

WORK is a path to a work, analysed on the fly (every work in it, if it holds several), a profile
JSON file written by `ficlens analyze -f json` (plotted without re-analysis), or with `--db` a
work in a corpus database (its id, ficlens work id or source). Files are named
`<work id>.<kind>.<svg|png>`; existing files are never replaced without --force.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TextIO

from ..errors import EXIT_INTERNAL, FiclensError, InputNotFound, UnreadableInput
from ..read import ReadFailure, ReadLimits, iter_works
from . import RunTally, Subparsers, UsageError

if TYPE_CHECKING:
    from ..model import Profile, Work
    from ..pipeline import Pipeline

log = logging.getLogger(__name__)

KIND_CHOICES = ("presence", "speaking", "network", "conversation", "all")


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "plot", help="draw a work's plots (presence, speaking share, network, conversations)"
    )
    parser.add_argument(
        "works",
        nargs="+",
        metavar="WORK",
        help="a work's file (or folder of works), a profile .json, or with --db a work id",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="write the plot files into DIR (default: the current directory)",
    )
    parser.add_argument(
        "--kind", action="append", choices=KIND_CHOICES, help="which plot (repeat for several); default: all"
    )
    parser.add_argument(
        "-f",
        "--format",
        action="append",
        choices=("svg", "png"),
        help="file format (repeat for both); default: svg and png",
    )
    parser.add_argument("--db", type=Path, metavar="FILE", help="take WORK from this corpus database")
    parser.add_argument("--force", action="store_true", help="overwrite existing plot files")
    parser.add_argument("--characters", type=Path, metavar="FILE", help="a cast YAML file (when analysing)")
    parser.add_argument(
        "--kb",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="extra knowledge-base directory (when analysing)",
    )
    parser.set_defaults(run=run)


def _kinds(args: argparse.Namespace) -> tuple[str, ...]:
    from ..plots.work import KINDS

    chosen = args.kind or ["all"]
    if "all" in chosen:
        return KINDS
    return tuple(dict.fromkeys(chosen))


def _profile_json(path: Path) -> dict[str, Any] | None:
    """The profile in a ficlens profile JSON file, or None when the file is something else."""
    if path.suffix.lower() != ".json" or not path.is_file():
        return None
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if isinstance(data, dict) and "schema_version" in data and "characters" in data and "work" in data:
        return data
    return None


def _from_db(db: Path, work: str) -> tuple[str, dict[str, Any]]:
    from ..corpus import Corpus

    if not db.exists():
        raise UsageError(f"{db}: no such corpus database")
    with Corpus(db, readonly=True, create=False) as corpus:
        profile = corpus.profile(work)
    return profile["work"]["id"], profile


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..output import check_writable
    from ..plots.work import plot_paths, write_work_plots

    kinds = _kinds(args)
    formats = tuple(dict.fromkeys(args.format or ["svg", "png"]))
    if args.output.exists() and not args.output.is_dir():
        raise UsageError(f"{args.output} exists and is not a directory")
    tally = RunTally()
    pipeline: Pipeline | None = None

    def plot(work_id: str, profile: Profile | dict[str, Any]) -> None:
        for path in write_work_plots(profile, work_id, args.output, kinds, formats, args.force):
            out.write(f"{path}\n")
        tally.analysed += 1

    def attempt(label: str, action: Callable[[], None]) -> None:
        try:
            action()
        except UsageError:
            raise
        except FiclensError as exc:
            tally.fail(f"{label}: {exc.message}" if label not in exc.message else exc.message, exc.exit_code, err)
        except Exception as exc:  # a bug: report it, keep going with the other works
            if args.debug:
                raise
            log.debug("internal error", exc_info=True)
            tally.fail(f"{label}: internal error: {exc!r} (please report; --debug shows details)", EXIT_INTERNAL, err)

    for work in args.works:
        if args.db:
            attempt(work, lambda: plot(*_from_db(args.db, work)))  # called at once: no late binding
            continue
        path = Path(work)
        if not path.exists():
            tally.fail(f"{path}: no such file or directory", InputNotFound.exit_code, err)
            continue
        data = _profile_json(path)
        if data is not None:
            attempt(work, lambda: plot(data["work"]["id"], data))
            continue
        if pipeline is None:
            from ..pipeline import AnalysisConfig, Pipeline

            pipeline = Pipeline(config=AnalysisConfig(kb_dirs=tuple(args.kb), characters_file=args.characters))
            _ = pipeline.resources.kb, pipeline.resources.cast  # a bad --kb or --characters fails first
        found = 0
        try:
            for item in iter_works(path, ReadLimits(), skip=args.output):
                found += 1
                if isinstance(item, ReadFailure):
                    tally.fail(f"skipped {item.message}", item.error.exit_code, err)
                    continue

                def analyse_and_plot(item: Work = item, pipeline: Pipeline = pipeline) -> None:
                    check_writable(plot_paths(item.id, args.output, kinds, formats), args.force)  # before analysing
                    plot(item.id, pipeline(item))

                attempt(item.source or item.id, analyse_and_plot)
        except FiclensError as exc:
            tally.fail(exc.message, exc.exit_code, err)
            continue
        if not found:
            tally.fail(f"{path}: no work found", UnreadableInput.exit_code, err)
    if tally.failures and (tally.analysed or len(tally.failures) > 1):
        print(f"ficlens: {tally.analysed} work(s) plotted, {len(tally.failures)} problem(s)", file=err)
    return tally.exit_code()
