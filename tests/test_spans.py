"""SpanIndex: every query against a brute-force scan of the same spans."""

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from ficlens.spans import SpanIndex


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    name: str = ""


# "Han" 0-3, "Leia" 10-14, "he" 20-22, a quotation 30-50 holding "you" 35-38.
SPANS = [Span(10, 14, "Leia"), Span(0, 3, "Han"), Span(30, 50, "quote"), Span(35, 38, "you"), Span(20, 22, "he")]


def test_items_are_sorted_by_start_and_ties_keep_their_order():
    index = SpanIndex([Span(5, 9, "b"), Span(1, 2, "a"), Span(5, 6, "c")])
    assert [s.name for s in index] == ["a", "b", "c"]
    assert len(index) == 3


def test_within_returns_spans_starting_in_the_half_open_range():
    index = SpanIndex(SPANS)
    assert [s.name for s in index.within(0, 20)] == ["Han", "Leia"]
    assert [s.name for s in index.within(10, 20)] == ["Leia"]
    assert index.within(11, 20) == []  # Leia starts before 11
    assert [s.name for s in index.within(20, 36)] == ["he", "quote", "you"]
    assert index.within(50, 60) == []


def test_overlapping_includes_spans_that_start_before_the_range():
    index = SpanIndex(SPANS)
    # 36-40 lies inside the quotation (30-50) and inside "you" (35-38).
    assert [s.name for s in index.overlapping(36, 40)] == ["quote", "you"]
    assert [s.name for s in index.overlapping(12, 21)] == ["Leia", "he"]
    assert index.overlapping(14, 20) == []  # touching ends do not overlap
    assert index.overlapping(50, 51) == []


def test_overlapping_finds_a_long_span_behind_short_ones():
    # The long span starts first; the short ones after it end early. A bisection on ends alone
    # would skip the long span.
    index = SpanIndex([Span(0, 100, "chapter"), Span(1, 2, "a"), Span(3, 4, "b"), Span(60, 61, "c")])
    assert [s.name for s in index.overlapping(50, 55)] == ["chapter"]


def test_containing_and_in():
    index = SpanIndex(SPANS)
    assert index.containing(0).name == "Han"
    assert index.containing(2).name == "Han"
    assert index.containing(3) is None  # the end is exclusive
    assert index.containing(31).name == "quote"
    assert index.containing(36).name == "you"
    assert 36 in index and 25 not in index
    assert index.containing(-1) is None


def test_started_by_does_not_need_to_reach_the_offset():
    index = SpanIndex(SPANS)
    assert index.started_by(5).name == "Han"
    assert index.started_by(10).name == "Leia"
    assert index.started_by(-1) is None


def test_ending_before_and_starting_from():
    index = SpanIndex(SPANS)
    assert index.ending_before(14).name == "Leia"
    assert index.ending_before(13).name == "Han"
    assert index.ending_before(2) is None
    assert index.starting_from(4).name == "Leia"
    assert index.starting_from(10).name == "Leia"
    assert index.starting_from(31).name == "you"
    assert index.starting_from(51) is None


def test_ending_before_prefers_the_later_span_of_equal_ends():
    index = SpanIndex([Span(0, 10, "long"), Span(5, 10, "short")])
    assert index.ending_before(10).name == "short"


def test_custom_start_and_end_functions():
    index = SpanIndex([(4, 8), (0, 2)], start_of=lambda s: s[0], end_of=lambda s: s[1])
    assert index.containing(5) == (4, 8)
    assert index.within(0, 5) == [(0, 2), (4, 8)]


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda t: Span(t[0], t[0] + t[1])), max_size=25)


@given(spans, st.integers(-2, 85), st.integers(0, 30))
def test_queries_agree_with_a_scan(items, start, width):
    index = SpanIndex(items)
    end = start + width
    ordered = sorted(items, key=lambda s: s.start)
    assert index.within(start, end) == [s for s in ordered if start <= s.start < end]
    assert index.overlapping(start, end) == [s for s in ordered if s.start < end and s.end > start]
    before = [s for s in ordered if s.start <= start]
    expected = before[-1] if before and start < before[-1].end else None
    assert index.containing(start) == expected
    assert index.started_by(start) == (before[-1] if before else None)
    after = [s for s in ordered if s.start >= start]
    assert index.starting_from(start) == (after[0] if after else None)
    ended = [(s.end, i) for i, s in enumerate(ordered) if s.end <= start]
    assert index.ending_before(start) == (ordered[max(ended)[1]] if ended else None)
