"""A small LRU cache of things computed from the database (corpus statistics, plot images),
kept on `app.state`, never in a module global.

Entries are keyed by the size and modification time of the database file and of its WAL as
well, so a database re-indexed while the server runs is never answered from stale entries.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class DbCache:
    size: int = 32
    _entries: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, db: Path, key: Hashable, compute: Callable[[], T]) -> T:
        full = (key, *_version(db))
        with self._lock:
            if full in self._entries:
                self._entries.move_to_end(full)
                cached: T = self._entries[full]  # stored by this method under the same key
                return cached
        value = compute()  # outside the lock: two requests may compute it, neither waits on the other
        with self._lock:
            self._entries[full] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


def _version(db: Path) -> tuple[int, ...]:
    """Size and mtime of the database and of its write-ahead log, where new commits land first."""
    out: list[int] = []
    for path in (db, db.with_name(db.name + "-wal")):
        try:
            info = path.stat()
            out += [info.st_size, info.st_mtime_ns]
        except FileNotFoundError:
            out += [-1, -1]
    return tuple(out)
