"""The local engine: a pool of worker processes on this machine, each loading the pipeline once.

Tasks go out largest first, one at a time (chunksize 1), with at most `2 × jobs` in flight, so a
long work never queues behind a batch of others and memory stays bounded however many inputs
there are. A worker that dies (killed, out of memory) breaks a `ProcessPoolExecutor`; instead of
hanging, the run starts a fresh pool and re-runs the tasks that were in flight one at a time, so
the task that kills a worker on its own is the one recorded as failed, and the others go on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from . import RunSpec, Task, TaskResult, crashed, run_task, warm_up

log = logging.getLogger(__name__)


def _init_worker(spec: RunSpec, writer_pid: int) -> None:
    """Load the pipeline; and end this worker if the writer is killed (nothing would read its results)."""
    threading.Thread(target=_exit_with, args=(writer_pid,), daemon=True).start()
    warm_up(spec)


def _exit_with(pid: int) -> None:
    while True:
        time.sleep(1.0)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass


DIED = "the worker process died while analysing it (out of memory or killed); skipped"


class LocalEngine:
    def __init__(self, spec: RunSpec, jobs: int, in_flight: int | None = None):
        self.spec = spec
        self.jobs = max(1, jobs)
        self.in_flight = in_flight or 2 * self.jobs
        self.workers: dict[int, int] = {}  # pid → peak RSS in bytes
        # Not fork: the writer's process holds an SQLite connection and, on a terminal, a progress
        # thread, which a forked child would inherit mid-use. A fork server is a clean process
        # that imports ficlens once; workers (and replacements for dead ones) fork from it quickly.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["ficlens.corpus.engines", "ficlens.corpus.duplicates", "datasketch"])

    def _pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.jobs, mp_context=self._context, initializer=_init_worker, initargs=(self.spec, os.getpid())
        )

    def run(self, tasks: Iterator[Task], on_result: Callable[[TaskResult], None]) -> None:
        suspects: deque[Task] = deque()  # tasks in flight when a worker died: re-run one at a time
        futures: dict[Future[Any], Task] = {}
        pool = self._pool()
        exhausted = False
        try:
            while True:
                limit = 1 if suspects else self.in_flight
                while len(futures) < limit:
                    task: Task | None
                    if suspects:
                        task = suspects.popleft()
                    else:
                        task = None if exhausted else next(tasks, None)
                        if task is None:
                            exhausted = True
                            break
                    futures[pool.submit(run_task, task, self.spec)] = task
                if not futures:
                    break
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    del futures[future]
                    self.workers[result.pid] = max(self.workers.get(result.pid, 0), result.peak_rss)
                    on_result(result)
                if broken:
                    lost = list(futures.values())
                    futures.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._pool()
                    if len(lost) == 1:
                        log.warning("%s: %s", lost[0].key, DIED)
                        on_result(crashed(lost[0], DIED))
                    else:
                        log.warning("a worker process died; re-running its %d tasks one at a time", len(lost))
                        suspects.extend(lost)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
