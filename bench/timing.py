"""Timing shared by the bench scripts: wall and CPU time of one call (CPU time is the steadier
figure on a shared machine)."""

from __future__ import annotations

import time
from typing import Any, Callable


def timed(action: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds of this process) of `action()`."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu
