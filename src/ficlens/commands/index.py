"""`ficlens index PATH... [--db corpus.db]`: analyse inputs into a corpus database (docs/corpus.md).

A thin layer over `ficlens.Corpus.index`: options in, progress and a closing summary out.
Progress is a Rich bar on a terminal, a plain line every `LOG_EVERY` works or `LOG_SECONDS`
seconds otherwise (logs of a batch job), nothing but errors with -q.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import RunTally, Subparsers, UsageError

if TYPE_CHECKING:
    from ..corpus.index import IndexReport

LOG_EVERY = 100
LOG_SECONDS = 10.0


def register(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("index", help="analyse works into a corpus database (parallel, resumable)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="file, directory, .zip or .jsonl")
    p.add_argument("--db", type=Path, default=Path("corpus.db"), help="the corpus database (default: corpus.db)")
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: every core)")
    p.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="local worker processes, or a Dask cluster (pip install 'ficlens[dask]')",
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: an existing cluster's scheduler")
    p.add_argument("--reanalyse", "--reanalyze", action="store_true", help="analyse every work again, changed or not")
    p.add_argument("--prune", action="store_true", help="remove stored works whose input file or member is gone")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary; errors only")
    p.add_argument("--max-file-mb", type=float, default=200.0, help="refuse input files larger than this")
    p.add_argument("--max-words", type=int, default=2_000_000, help="refuse full analysis of longer works")
    p.add_argument("--characters", type=Path, metavar="FILE", help="a cast YAML file adding or overriding characters")
    p.add_argument(
        "--kb",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a directory of fandom YAML files adding to or overriding the shipped knowledge base",
    )
    p.add_argument(
        "--commit-every",
        type=int,
        default=200,
        metavar="N",
        help="commit after N works (or 5 s, whichever first); default 200",
    )
    p.add_argument(
        "--pipeline",
        metavar="MODULE:FUNCTION",
        help="build the pipeline with this function of an AnalysisConfig (default: the full analysis; "
        "ficlens.corpus.engines:stats_pipeline counts words only)",
    )
    p.set_defaults(run=run)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class _PlainProgress:
    """A log line every LOG_EVERY works or LOG_SECONDS, for stderr that is not a terminal."""

    def __init__(self, err: TextIO):
        self.err = err
        self.started = time.monotonic()
        self.last_time = self.started
        self.last_done = 0

    def __call__(self, report: IndexReport, messages: list[str]) -> None:
        for message in messages:
            print(f"ficlens: {message}", file=self.err)
        now = time.monotonic()
        if report.done - self.last_done < LOG_EVERY and now - self.last_time < LOG_SECONDS:
            return
        if report.done == self.last_done:
            return
        self.last_time, self.last_done = now, report.done
        elapsed = now - self.started
        rate = report.words / elapsed if elapsed else 0.0
        left = report.eta(elapsed)
        eta = f", ETA {_duration(left)}" if left is not None else ""
        print(
            f"ficlens: {report.done:,}/{report.total:,} works, {rate:,.0f} words/s, {report.failed:,} failed{eta}",
            file=self.err,
            flush=True,
        )

    def close(self) -> None:
        pass


class _RichProgress:
    """A Rich bar on the terminal: works done/total, words/s, failures, ETA."""

    def __init__(self, err: TextIO):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.console = Console(file=err)
        self.started = time.monotonic()
        self.bar = Progress(
            TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]} words/s"),
            TextColumn("{task.fields[failed]} failed"), TextColumn("ETA {task.fields[eta]}"), console=self.console,
            transient=True,
        )  # fmt: skip
        self.task = self.bar.add_task("index", total=None, rate="0", failed=0, eta="-")
        self.bar.start()

    def __call__(self, report: IndexReport, messages: list[str]) -> None:
        for message in messages:
            self.bar.console.print(f"ficlens: {message}", markup=False, highlight=False)
        elapsed = time.monotonic() - self.started
        left = report.eta(elapsed)
        self.bar.update(
            self.task,
            total=report.total,
            completed=report.done,
            rate=f"{report.words / elapsed if elapsed else 0:,.0f}",
            failed=report.failed,
            eta="-" if left is None else _duration(left),
        )

    def close(self) -> None:
        self.bar.stop()


class _Quiet:
    """Errors only: each failure's line, nothing else."""

    def __init__(self, err: TextIO):
        self.err = err

    def __call__(self, report: IndexReport, messages: list[str]) -> None:
        for message in messages:
            print(f"ficlens: {message}", file=self.err)

    def close(self) -> None:
        pass


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..corpus import Corpus
    from ..pipeline import AnalysisConfig
    from ..read import ReadLimits

    if args.max_file_mb <= 0:
        raise UsageError("--max-file-mb must be positive")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("-j must be at least 1")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    if args.commit_every < 1:
        raise UsageError("--commit-every must be at least 1")
    config = AnalysisConfig(kb_dirs=tuple(args.kb), characters_file=args.characters, max_words=args.max_words)
    limits = ReadLimits(max_file_bytes=int(args.max_file_mb * 1_000_000))
    with Corpus(args.db) as corpus:  # a foreign, newer or unopenable database stops here, untouched
        progress: _Quiet | _RichProgress | _PlainProgress
        if args.quiet:
            progress = _Quiet(err)
        elif err.isatty():
            progress = _RichProgress(err)
        else:
            progress = _PlainProgress(err)
        try:
            report = corpus.index(
                args.paths, jobs=args.jobs, engine=args.engine, scheduler=args.scheduler, config=config,
                limits=limits, reanalyse=args.reanalyse, prune=args.prune, pipeline=args.pipeline,
                commit_every=args.commit_every, on_progress=progress,
            )  # fmt: skip
        finally:
            progress.close()
    if not args.quiet:
        print(f"ficlens: {report.summary()}", file=err)
    tally = RunTally(analysed=report.analysed + report.skipped)
    for message, code in report.failures:
        tally.fail(message, code)
    return tally.exit_code()
