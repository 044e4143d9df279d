"""Engines run the analysis of an index run somewhere else than the writer's process.

An engine takes a stream of tasks and calls back with one `TaskResult` per task, in any order:
`local` runs a pool of worker processes on this machine, `dask` a Dask cluster. Both run the
same function, `run_task`, which reads (a `FileTask`) or receives (a `WorkTask`) works, analyses
them and builds their `WorkRecord`s, so the writer only executes INSERTs. Tasks carry paths,
not file contents, wherever the worker can read the file itself.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Union

from ...errors import EXIT_INPUT, EXIT_INTERNAL, FiclensError
from ...model import Work
from ...pipeline import AnalysisConfig, Pipeline, shared_pipeline
from ...read import ReadFailure, ReadLimits, iter_file_works
from ..rows import WorkRecord, build_record, content_hash
from ..store import FailureRow, SourceRow

log = logging.getLogger(__name__)


class EngineUnavailable(FiclensError):
    """The engine asked for cannot run here (its extra is not installed, its cluster unreachable)."""


@dataclass(frozen=True)
class RunSpec:
    """What every worker needs to know, sent once per task (it is small)."""

    config: AnalysisConfig = AnalysisConfig()
    limits: ReadLimits = ReadLimits()
    # "module:function" building a Pipeline from an AnalysisConfig; None = the full ficlens pipeline
    pipeline: str | None = None
    with_minhash: bool = True


def stats_pipeline(config: AnalysisConfig) -> Pipeline:
    """Word and chapter counts only, no NLP: for testing and measuring the corpus machinery itself."""
    from ...stats import count_stats

    return Pipeline([("stats", count_stats)], config)


@lru_cache(maxsize=4)
def load_pipeline(factory: str | None, config: AnalysisConfig) -> Pipeline:
    """The pipeline of this worker process, loaded on its first task (an explicit per-process cache)."""
    if factory is None:
        return shared_pipeline(config)
    module, _, name = factory.partition(":")
    try:
        build: Callable[[AnalysisConfig], Pipeline] = getattr(importlib.import_module(module), name)
        return build(config)
    except (ImportError, AttributeError, ValueError) as exc:
        raise EngineUnavailable(f"--pipeline {factory}: cannot load it ({exc})") from None


def warm_up(spec: RunSpec) -> int:
    """Load the pipeline (and spaCy) before the first task: a worker initializer.

    It never raises: an initializer that fails breaks the whole pool, whereas a pipeline that
    cannot load fails again in each task, which records the reason as that work's failure.
    """
    try:
        pipeline = load_pipeline(spec.pipeline, spec.config)
        if spec.pipeline is None:
            _ = pipeline.resources.parser, pipeline.resources.kb, pipeline.resources.cast
    except Exception as exc:
        log.warning("worker %d: the pipeline did not load: %s", os.getpid(), exc)
    return os.getpid()


@dataclass
class FileTask:
    """One input file the worker reads itself. `known_*` let it skip what did not change."""

    path: str  # absolute
    display: str  # as the user named it (the profile's `work.source`)
    work_id: str
    size: int
    mtime_ns: int
    sidecar: str
    known_sha256: str | None = None  # the file's bytes when all of it was last stored by this ficlens
    known_works: int = 0
    known_hashes: dict[str, str] = field(default_factory=dict)  # source_key → content hash stored by this ficlens

    @property
    def key(self) -> str:
        return self.path

    @property
    def weight(self) -> int:
        return self.size


@dataclass
class WorkTask:
    """One work of a container (zip, JSONL) that the writer's process read and found new or changed."""

    work: Work
    source_key: str
    digest: str
    container: str  # the container's absolute path

    @property
    def key(self) -> str:
        return self.source_key

    @property
    def weight(self) -> int:
        return len(self.work.text)


Task = Union[FileTask, WorkTask]


@dataclass
class TaskResult:
    """What came of one task: records to store, failures, works found unchanged."""

    task: str  # the task's key
    container: str | None = None
    records: list[WorkRecord] = field(default_factory=list)
    failures: list[FailureRow] = field(default_factory=list)
    unchanged: int = 0
    source: SourceRow | None = None  # set when the whole file is now stored: the writer records it
    keys: list[str] = field(default_factory=list)  # every source key this task met
    analysis_seconds: float = 0.0
    cpu_seconds: float = 0.0  # the worker's CPU time on it: throughput per core whatever else runs
    pid: int = 0
    peak_rss: int = 0  # bytes, of the worker process so far


class Engine(Protocol):
    def run(self, tasks: Iterator[Task], on_result: Callable[[TaskResult], None]) -> None: ...

    @property
    def workers(self) -> dict[int, int]: ...


def member_key(path: str, display: str, source: str | None) -> str:
    """The source key of a work read from `path`: its absolute path plus the reader's suffix.

    The reader names a zip member `display!member` and a JSONL line `display:N`; the key keeps
    that suffix after the absolute path, so it stays the same whichever directory the run starts in.
    """
    if source and source.startswith(display):
        return path + source[len(display) :]
    return path


def file_sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _peak_rss() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _analyse(work: Work, key: str, digest: str, spec: RunSpec, result: TaskResult) -> None:
    try:
        profile = load_pipeline(spec.pipeline, spec.config)(work)
        result.records.append(build_record(profile, key, digest, with_minhash=spec.with_minhash))
    except FiclensError as exc:
        result.failures.append(FailureRow(key, work.source, exc.message, exc.exit_code))
    except Exception as exc:  # a bug in one component must not end the run: record it, go on
        result.failures.append(FailureRow(key, work.source, f"internal error: {exc!r} (please report)", EXIT_INTERNAL))


def run_task(task: Task, spec: RunSpec) -> TaskResult:
    """Analyse one task into records: what every engine runs on its workers."""
    start, cpu = time.perf_counter(), time.process_time()
    if isinstance(task, WorkTask):
        result = TaskResult(task=task.key, container=task.container, keys=[task.source_key])
        _analyse(task.work, task.source_key, task.digest, spec, result)
    else:
        result = _run_file(task, spec)
    result.analysis_seconds = time.perf_counter() - start
    result.cpu_seconds = time.process_time() - cpu
    result.pid = os.getpid()
    result.peak_rss = _peak_rss()
    return result


def _run_file(task: FileTask, spec: RunSpec) -> TaskResult:
    result = TaskResult(task=task.key, keys=[task.path])
    try:
        sha = file_sha256(task.path)
    except OSError as exc:
        result.failures.append(FailureRow(task.path, task.display, f"cannot read: {exc.strerror or exc}", EXIT_INPUT))
        return result
    source = SourceRow(task.path, task.size, task.mtime_ns, task.sidecar, sha, 0)
    if sha == task.known_sha256:  # touched, not changed: nothing to read
        result.unchanged = task.known_works
        result.source = SourceRow(task.path, task.size, task.mtime_ns, task.sidecar, sha, task.known_works)
        return result
    works = 0
    for item in iter_file_works(Path(task.path), task.work_id, spec.limits):
        if isinstance(item, ReadFailure):
            key = member_key(task.path, task.display, item.source)
            result.failures.append(FailureRow(key, item.source, item.error.message, item.error.exit_code))
            result.keys.append(key)
            continue
        works += 1
        key = member_key(task.path, task.display, item.source)
        result.keys.append(key)
        digest = content_hash(item)
        if task.known_hashes.get(key) == digest:
            result.unchanged += 1
            continue
        _analyse(item, key, digest, spec, result)
    if not result.failures:
        result.source = SourceRow(source.path, source.size, source.mtime_ns, source.sidecar, sha, works)
    return result


def crashed(task: Task, reason: str) -> TaskResult:
    """The result of a task whose worker died under it (out of memory, killed)."""
    key = task.key
    source = task.display if isinstance(task, FileTask) else task.work.source
    container = task.container if isinstance(task, WorkTask) else None
    return TaskResult(task=key, container=container, keys=[key], failures=[FailureRow(key, source, reason, EXIT_INPUT)])


ENGINES = ("local", "dask")


def make_engine(name: str, spec: RunSpec, jobs: int, scheduler: str | None = None) -> Engine:
    if name == "local":
        if scheduler:
            raise EngineUnavailable("--scheduler needs --engine dask")
        from .local import LocalEngine

        return LocalEngine(spec, jobs)
    if name == "dask":
        from .dask import DaskEngine

        return DaskEngine(spec, jobs, scheduler)
    raise EngineUnavailable(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")
