"""The Dask engine: the same tasks as the local engine, run on a Dask cluster.

`--scheduler ADDRESS` joins an existing cluster (docs/scale.md); without it a `LocalCluster`
of `jobs` single-threaded worker processes starts and stops with the run. A worker plugin loads
the pipeline when each worker starts (also workers that join later); tasks find it in the
per-process cache (`engines.load_pipeline`). Results come back to the one writer as they
complete, with at most `2 × workers` tasks in flight, so the writer's memory stays bounded and
resumability is the local engine's. Workers must see the input files at the same paths (a
shared file system); works of a container travel with their task.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from . import EngineUnavailable, RunSpec, Task, TaskResult, crashed, run_task, warm_up

log = logging.getLogger(__name__)

INSTALL_HINT = "--engine dask needs Dask: pip install 'ficlens[dask]'"


def _distributed() -> ModuleType:
    try:
        import distributed
    except ImportError:
        raise EngineUnavailable(INSTALL_HINT) from None
    return distributed


try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # without the extra, the engine refuses to start (_distributed)
    WorkerPlugin = object  # type: ignore[assignment,misc]


class LoadPipeline(WorkerPlugin):
    """Loads the run's pipeline into each worker process as it starts (also workers joining later)."""

    name = "ficlens-pipeline"

    def __init__(self, spec: RunSpec):
        self.spec = spec

    def setup(self, worker: Any) -> None:
        warm_up(self.spec)


class DaskEngine:
    def __init__(self, spec: RunSpec, jobs: int, scheduler: str | None = None, in_flight: int | None = None):
        self.spec = spec
        self.jobs = max(1, jobs)
        self.scheduler = scheduler
        self._in_flight = in_flight
        self.workers: dict[int, int] = {}
        _distributed()  # fail now, with the install hint, not mid-run

    def _client(self) -> tuple[Any, Any]:
        distributed = _distributed()
        if self.scheduler:
            try:
                return distributed.Client(self.scheduler, timeout="20s"), None
            except (OSError, TimeoutError) as exc:
                raise EngineUnavailable(f"--scheduler {self.scheduler}: cannot reach it ({exc})") from None
        cluster = distributed.LocalCluster(
            n_workers=self.jobs, threads_per_worker=1, processes=True, dashboard_address=None,
            silence_logs=logging.ERROR,
        )  # fmt: skip
        return distributed.Client(cluster), cluster

    def run(self, tasks: Iterator[Task], on_result: Callable[[TaskResult], None]) -> None:
        distributed = _distributed()
        client, cluster = self._client()
        try:
            plugin = LoadPipeline(self.spec)
            client.register_plugin(plugin, name=plugin.name)
            workers = len(client.scheduler_info().get("workers", {})) or self.jobs
            in_flight = self._in_flight or 2 * workers
            futures = {}
            pending = distributed.as_completed()

            def submit() -> bool:
                task = next(tasks, None)
                if task is None:
                    return False
                future = client.submit(run_task, task, self.spec, pure=False)
                futures[future.key] = task
                pending.add(future)
                return True

            while len(futures) < in_flight and submit():
                pass
            for future in pending:
                task = futures.pop(future.key)
                try:
                    result = future.result()
                except Exception as exc:  # KilledWorker and the like: this task, not the run
                    log.warning("%s: %r", task.key, exc)
                    result = crashed(task, f"the Dask worker failed on it ({type(exc).__name__}); skipped")
                else:
                    self.workers[result.pid] = max(self.workers.get(result.pid, 0), result.peak_rss)
                future.release()
                on_result(result)
                while len(futures) < in_flight and submit():
                    pass
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
