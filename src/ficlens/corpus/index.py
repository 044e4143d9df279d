"""`Corpus.index`: analyse every input under some paths into the database, in parallel, resumably.

The run has three parts:

1. **Plan** (this process, no file read): walk the inputs as `iter_works` does, `stat` each file
   and compare with the `sources` table; a file unchanged since all of it was stored is skipped
   there and then. This is what makes a re-run over an unchanged corpus take seconds.
2. **Analyse** (an engine: worker processes or a Dask cluster): files go out largest first, as
   paths; the worker reads the file, compares its bytes' sha256 and each work's content hash
   with what is stored, analyses what changed and builds the `WorkRecord`s. Containers (zip,
   JSONL) are read here instead, so that their works spread over all workers.
3. **Write** (this process, the only writer): results are written in batches, one transaction
   each, with the `sources` row of a file in the same transaction as (or after) its last work.

A run killed at any moment therefore leaves only whole works and only files marked done whose
works are all stored; the next run skips those and does the rest.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import EXIT_INPUT, FiclensError
from ..pipeline import AnalysisConfig, Resources
from ..read import ReadFailure, ReadLimits, iter_file_works, iter_files, sniff
from .engines import (
    EngineUnavailable,
    FileTask,
    RunSpec,
    Task,
    TaskResult,
    WorkTask,
    file_sha256,
    make_engine,
    member_key,
)  # fmt: skip
from .rows import WorkRecord, content_hash
from .store import CorpusError, FailureRow, SourceRow, Store

if TYPE_CHECKING:
    from . import Corpus

log = logging.getLogger(__name__)

# Extensions whose files hold one work: handed to a worker unread. Others are sniffed here.
_SINGLE_WORK = {".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".epub"}


def default_jobs() -> int:
    """Every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class IndexReport:
    """What an index run did; updated as it goes (the CLI's progress reads it)."""

    db: str
    engine: str = "local"
    jobs: int = 1
    files: int = 0  # input files found
    total: int = 0  # works known so far (grows as containers are read)
    analysed: int = 0
    skipped: int = 0  # unchanged since stored
    failed: int = 0
    words: int = 0  # story words analysed this run
    seconds: float = 0.0
    write_seconds: float = 0.0  # the writer inside its transactions
    analysis_seconds: float = 0.0  # summed over workers
    cpu_seconds: float = 0.0  # workers' CPU time, summed: words / cpu_seconds = words per core-second
    missing: int = 0  # stored works whose input is gone, kept (prune=False)
    pruned: int = 0  # stored works whose input is gone, removed (prune=True)
    failures: list[tuple[str, int]] = field(default_factory=list)  # (one-line message, exit code)
    worker_rss: dict[int, int] = field(default_factory=dict)  # worker pid → peak RSS bytes
    bytes_total: int = 0  # input bytes to read this run (files not skipped unread)
    bytes_done: int = 0  # of those, in files finished

    def eta(self, elapsed: float) -> float | None:
        """Seconds left, from the bytes done so far: works go largest first, so counting works would mislead."""
        if not self.bytes_done or self.bytes_total <= self.bytes_done:
            return None
        return elapsed / self.bytes_done * (self.bytes_total - self.bytes_done)

    @property
    def done(self) -> int:
        return self.analysed + self.skipped + self.failed

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        minutes, secs = divmod(self.seconds, 60)
        took = f"{int(minutes)}m{secs:04.1f}s" if minutes else f"{secs:.1f}s"
        line = (
            f"{self.analysed:,} analysed, {self.skipped:,} skipped unchanged, {self.failed:,} failed; "
            f"{self.words:,} words in {took} ({self.words_per_second:,.0f} words/s) into {self.db}"
        )
        if self.pruned:
            line += f"; {self.pruned:,} work(s) whose input is gone removed"
        elif self.missing:
            line += f"; {self.missing:,} stored work(s) whose input is gone kept (--prune removes them)"
        return line


Progress = Callable[[IndexReport, list[str]], None]


class _Writer:
    """The one writer: batches results and commits every `every` works, `seconds` or `max_words`."""

    def __init__(self, store: Store, report: IndexReport, every: int, seconds: float, max_words: int = 2_000_000):
        self.store = store
        self.report = report
        self.every = max(1, every)
        self.seconds = seconds
        self.max_words = max_words
        self.records: list[WorkRecord] = []
        self.failures: list[FailureRow] = []
        self.sources: list[SourceRow] = []
        self.words = 0
        self.last = time.monotonic()

    def add(
        self,
        records: Sequence[WorkRecord] = (),
        failures: Sequence[FailureRow] = (),
        sources: Sequence[SourceRow] = (),
    ) -> None:
        self.records += records
        self.failures += failures
        self.sources += sources
        self.words += sum(r.words for r in records)
        if (
            len(self.records) >= self.every
            or self.words >= self.max_words
            or time.monotonic() - self.last >= self.seconds
        ):
            self.flush()

    def flush(self) -> None:
        if self.records or self.failures or self.sources:
            start = time.perf_counter()
            self.store.write(self.records, self.failures, self.sources)
            self.report.write_seconds += time.perf_counter() - start
            self.records, self.failures, self.sources, self.words = [], [], [], 0
        self.last = time.monotonic()


@dataclass
class _Planned:
    path: str
    display: str
    work_id: str
    size: int
    mtime_ns: int
    sidecar: str
    container: bool
    known: SourceRow | None  # the file's row if this ficlens stored all of it, same sidecar


@dataclass
class _Container:
    planned: _Planned
    sha256: str
    works: int = 0
    outstanding: int = 0
    reading_done: bool = False
    failed: bool = False


def _fingerprint_sidecar(file: Path) -> str:
    sidecar = file.with_suffix(".json")
    if sidecar == file:
        return ""
    try:
        st = sidecar.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def _is_container(file: Path) -> bool:
    if file.suffix.lower() in _SINGLE_WORK:
        return False
    try:
        with open(file, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False  # the worker reports it
    return sniff(head, file.name) in ("zip", "jsonl")


def _file_of(key: str, files: set[str]) -> str | None:
    """The input file a source key was read from (`path`, `path!member`, `path:line`, nested)."""
    if key in files:
        return key
    for i in range(len(key) - 1, 0, -1):
        if key[i] in "!:" and key[:i] in files:
            return key[:i]
    return None


def _under(key: str, roots: list[tuple[str, bool]]) -> bool:
    for root, is_dir in roots:
        if is_dir and key.startswith(root.rstrip(os.sep) + os.sep):
            return True
        if not is_dir and (key == root or key[: len(root) + 1] in (root + "!", root + ":")):
            return True
    return False


class _Run:
    def __init__(
        self,
        corpus: Corpus,
        spec: RunSpec,
        report: IndexReport,
        writer: _Writer,
        reanalyse: bool,
        on_progress: Progress | None,
    ):
        self.store = corpus.store
        self.spec = spec
        self.report = report
        self.writer = writer
        self.reanalyse = reanalyse
        self.on_progress = on_progress
        self.files: set[str] = set()  # every input file found this run
        db = os.path.abspath(corpus.path)  # `ficlens index .` must not read its own database
        self.own_files = {db + suffix for suffix in ("", "-wal", "-shm", "-journal")}
        self.reread_files: set[str] = set()  # files read again this run ...
        self.reread_keys: set[str] = set()  # ... and every key met in them
        self.containers: dict[str, _Container] = {}
        self.in_flight_sizes: dict[str, int] = {}  # file tasks sent out → their size, for the ETA
        self.new_messages: list[str] = []

    # --- plan ------------------------------------------------------------------------------

    def plan(self, paths: Sequence[str | os.PathLike[str]]) -> tuple[list[_Planned], list[tuple[str, bool]]]:
        planned: list[_Planned] = []
        roots: list[tuple[str, bool]] = []
        for path in paths:
            try:
                for file, work_id in iter_files(path):
                    self._plan_file(file, work_id, planned)
                roots.append((os.path.abspath(path), Path(path).is_dir()))
            except FiclensError as exc:  # a missing path: nothing of it to record in the database
                self._fail_message(exc.message, exc.exit_code)
        planned.sort(key=lambda p: p.size, reverse=True)  # largest first: no long work left for last
        return planned, roots

    def _plan_file(self, file: Path, work_id: str, planned: list[_Planned]) -> None:
        path = os.path.abspath(file)
        if path in self.files or path in self.own_files:
            return  # named twice, or the database itself
        self.files.add(path)
        self.report.files += 1
        try:
            st = file.stat()
        except OSError as exc:
            self._fail(FailureRow(path, str(file), f"cannot read: {exc.strerror or exc}", EXIT_INPUT))
            return
        sidecar = _fingerprint_sidecar(file)
        row = None if self.reanalyse else self.store.source(path)
        if row is not None and (row.ficlens_version != __version__ or row.sidecar != sidecar):
            row = None
        if row is not None and (row.size, row.mtime_ns) == (st.st_size, st.st_mtime_ns):
            self.report.skipped += row.works
            self.report.total += row.works
            return
        container = _is_container(file)
        self.report.total += 0 if container else 1
        self.report.bytes_total += st.st_size
        planned.append(_Planned(path, str(file), work_id, st.st_size, st.st_mtime_ns, sidecar, container, row))

    # --- tasks -----------------------------------------------------------------------------

    def tasks(self, planned: list[_Planned]) -> Iterator[Task]:
        for item in planned:
            self.reread_files.add(item.path)
            if item.container:
                yield from self._container_tasks(item)
            else:
                known = item.known
                self.in_flight_sizes[item.path] = item.size
                yield FileTask(
                    item.path, item.display, item.work_id, item.size, item.mtime_ns, item.sidecar,
                    known_sha256=known.sha256 if known else None, known_works=known.works if known else 0,
                    known_hashes={} if self.reanalyse else self.store.stored_hashes(item.path),
                )  # fmt: skip

    def _container_tasks(self, item: _Planned) -> Iterator[WorkTask]:
        try:
            sha = file_sha256(item.path)
        except OSError as exc:
            self._fail(FailureRow(item.path, item.display, f"cannot read: {exc.strerror or exc}", EXIT_INPUT))
            return
        self.reread_keys.add(item.path)
        if item.known is not None and item.known.sha256 == sha:  # touched, not changed
            self.report.skipped += item.known.works
            self.report.total += item.known.works
            self.report.bytes_done += item.size
            self.writer.add(
                sources=[SourceRow(item.path, item.size, item.mtime_ns, item.sidecar, sha, item.known.works)]
            )
            return
        state = self.containers[item.path] = _Container(item, sha)
        for work in iter_file_works(Path(item.path), item.work_id, self.spec.limits):
            key = member_key(item.path, item.display, work.source)
            self.reread_keys.add(key)
            if isinstance(work, ReadFailure):
                state.failed = True
                self._fail(FailureRow(key, work.source, work.error.message, work.error.exit_code))
                continue
            state.works += 1
            self.report.total += 1
            digest = content_hash(work)
            if not self.reanalyse and self.store.stored_hash(key) == digest:
                self.report.skipped += 1
                continue
            state.outstanding += 1
            yield WorkTask(work, key, digest, item.path)
        state.reading_done = True
        self._finish_container(state)

    def _finish_container(self, state: _Container) -> None:
        if not state.reading_done or state.outstanding:
            return
        del self.containers[state.planned.path]
        self.report.bytes_done += state.planned.size
        if not state.failed:
            p = state.planned
            self.writer.add(sources=[SourceRow(p.path, p.size, p.mtime_ns, p.sidecar, state.sha256, state.works)])

    # --- results ---------------------------------------------------------------------------

    def on_result(self, result: TaskResult) -> None:
        report = self.report
        report.analysed += len(result.records)
        report.words += sum(r.words for r in result.records)
        report.skipped += result.unchanged
        report.analysis_seconds += result.analysis_seconds
        report.cpu_seconds += result.cpu_seconds
        self.reread_keys.update(result.keys)
        if result.container is None:  # a file task: its work count is known now
            report.bytes_done += self.in_flight_sizes.pop(result.task, 0)
            report.total += max(0, len(result.records) + result.unchanged + len(result.failures) - 1)
        for failure in result.failures:
            self._fail(failure, write=False)
        self.writer.add(result.records, result.failures, [result.source] if result.source else [])
        if result.container is not None:
            state = self.containers[result.container]
            state.outstanding -= 1
            state.failed |= bool(result.failures)
            self._finish_container(state)
        self.progress()

    def _fail(self, failure: FailureRow, write: bool = True) -> None:
        self.report.failed += 1
        self._fail_message(f"{failure.source or failure.source_key}: {failure.reason}", failure.exit_code)
        if write:
            self.writer.add(failures=[failure])

    def _fail_message(self, message: str, code: int) -> None:
        self.report.failures.append((message, code))
        self.new_messages.append(message)

    def progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.report, self.new_messages)
        self.new_messages = []

    # --- inputs gone -----------------------------------------------------------------------

    def gone(self, roots: list[tuple[str, bool]]) -> tuple[list[str], int]:
        """Stored keys under the inputs whose file or member is no longer there, and how many are works."""
        keys, works = [], 0
        for key, is_work in self.store.stored_keys():
            if not _under(key, roots):
                continue
            file = _file_of(key, self.files)
            if file is None or (file in self.reread_files and key not in self.reread_keys):
                keys.append(key)
                works += is_work
        return keys, works


def index_corpus(
    corpus: Corpus,
    paths: Sequence[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    config: AnalysisConfig | None = None,
    limits: ReadLimits | None = None,
    reanalyse: bool = False,
    prune: bool = False,
    pipeline: str | None = None,
    with_minhash: bool = True,
    commit_every: int = 200,
    commit_seconds: float = 5.0,
    on_progress: Progress | None = None,
) -> IndexReport:
    """Analyse every work under `paths` into `corpus`; see the module docstring for how.

    `jobs` worker processes (default: every core) or Dask workers; `pipeline` names a
    "module:function" building another `Pipeline` from the config (default: the full one).
    Bad inputs are recorded in `failures` and reported, never raised; a database or option
    that cannot work raises a `FiclensError` before anything is written.
    """
    if corpus.readonly:
        raise CorpusError(f"{corpus.path}: opened read-only; cannot index into it")
    jobs = jobs or default_jobs()
    if jobs < 1:
        raise EngineUnavailable("-j must be at least 1")
    config = config or AnalysisConfig()
    spec = RunSpec(config=config, limits=limits or ReadLimits(), pipeline=pipeline, with_minhash=with_minhash)
    if pipeline is not None:
        module, _, name = pipeline.partition(":")
        try:
            getattr(__import__(module, fromlist=[name]), name)
        except (ImportError, AttributeError, ValueError) as exc:
            raise EngineUnavailable(f"pipeline {pipeline!r}: cannot load it ({exc})") from None
    engine_impl = make_engine(engine, spec, jobs, scheduler)  # a missing extra fails now too

    started = time.perf_counter()
    report = IndexReport(db=str(corpus.path), engine=engine, jobs=jobs)
    writer = _Writer(corpus.store, report, commit_every, commit_seconds)
    run = _Run(corpus, spec, report, writer, reanalyse, on_progress)
    try:
        planned, roots = run.plan(paths)
        run.progress()
        if planned:
            if config.kb_dirs or config.characters_file:
                resources = Resources(config)
                _ = resources.kb, resources.cast  # a bad --kb or --characters fails before any work
            if engine == "local" and not any(p.container for p in planned) and len(planned) < jobs:
                engine_impl = make_engine(engine, spec, len(planned))  # no idle worker loads spaCy
            engine_impl.run(run.tasks(planned), run.on_result)
            report.worker_rss = dict(engine_impl.workers)
    finally:
        writer.flush()  # what finished before an interrupt is whole: keep it
        report.seconds = time.perf_counter() - started
    gone, gone_works = run.gone(roots)
    if prune and gone:
        report.pruned = corpus.store.remove(gone)
    else:
        report.missing = gone_works
    report.total = max(report.total, report.done)
    report.seconds = time.perf_counter() - started
    run.progress()
    log.info("index: %s", report.summary())
    return report
