"""One index over spans of the text (mentions, quotations, sentences, lexicon hits).

Many steps ask the same few questions about character offsets: which mention covers this
offset, which quotations start inside this window, which name ends just before this word.
Scanning a list for each question is quadratic on a novel, so every such question goes through
`SpanIndex`: the items sorted by start once, every lookup a bisection.

An item is anything with a start and an end offset (`start`/`end` attributes by default, or the
`start_of`/`end_of` functions given). Items that start at the same offset keep the order they
were given in, and every query that returns one item picks by that order, so results do not
depend on how Python breaks ties.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def _start(item: Any) -> int:
    return item.start


def _end(item: Any) -> int:
    return item.end


class SpanIndex(Generic[T]):
    """Items with a start and an end, sorted by start, answering by bisection:

    - `within(start, end)`: the items that *start* in [start, end);
    - `overlapping(start, end)`: the items that share at least one character with [start, end);
    - `started_by(offset)`: the last item starting at or before `offset`;
    - `containing(offset)` (and `offset in index`): that item, when it covers `offset`;
    - `ending_before(offset)`: the item whose end is the latest at or before `offset`;
    - `starting_from(offset)`: the first item starting at or after `offset`.
    """

    def __init__(
        self,
        items: Iterable[T],
        start_of: Callable[[T], int] = _start,
        end_of: Callable[[T], int] = _end,
    ):
        self.items: list[T] = sorted(items, key=start_of)
        self.starts: list[int] = [start_of(item) for item in self.items]
        self.ends: list[int] = [end_of(item) for item in self.items]
        # The furthest end among the first i+1 items: non-decreasing, so `overlapping` can bisect
        # for the first item that could still reach a window, even when spans nest or overlap.
        self._reach: list[int] = []
        furthest = None
        for end in self.ends:
            furthest = end if furthest is None or end > furthest else furthest
            self._reach.append(furthest)
        # Items ordered by end (ties by start order), for `ending_before`.
        self._by_end = sorted(range(len(self.items)), key=lambda i: (self.ends[i], i))
        self._end_keys = [self.ends[i] for i in self._by_end]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __contains__(self, offset: int) -> bool:
        return self.containing(offset) is not None

    def within(self, start: int, end: int) -> list[T]:
        """The items that *start* in [start, end), in start order."""
        low = bisect.bisect_left(self.starts, start)
        high = bisect.bisect_left(self.starts, end)
        return self.items[low:high]

    def overlapping(self, start: int, end: int) -> list[T]:
        """The items with at least one character in [start, end) (item.start < end and
        item.end > start), in start order."""
        high = bisect.bisect_left(self.starts, end)
        low = bisect.bisect_right(self._reach, start, 0, high)
        return [self.items[i] for i in range(low, high) if self.ends[i] > start]

    def started_by(self, offset: int) -> T | None:
        """The last item starting at or before `offset` (whether or not it reaches `offset`)."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.items[i] if i >= 0 else None

    def containing(self, offset: int) -> T | None:
        """The last item starting at or before `offset` whose end lies beyond it, if any.

        Only the last such start is looked at: for spans that do not overlap (mentions,
        quotations, sentences) that is the one covering `offset`."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ends[i]:
            return self.items[i]
        return None

    def ending_before(self, offset: int) -> T | None:
        """The item with the latest end at or before `offset` (of several, the last in start order)."""
        i = bisect.bisect_right(self._end_keys, offset) - 1
        return self.items[self._by_end[i]] if i >= 0 else None

    def starting_from(self, offset: int) -> T | None:
        """The first item starting at or after `offset`."""
        i = bisect.bisect_left(self.starts, offset)
        return self.items[i] if i < len(self.items) else None
