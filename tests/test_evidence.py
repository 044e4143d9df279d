"""The one evidence builder: excerpts stay short, on word edges, inside their part and paragraph."""

from hypothesis import given
from hypothesis import strategies as st

from ficlens.evidence import (
    EXCERPT_CHARS,
    evidence_around,
    evidence_of,
    excerpt_span,
    first_apart,
    opening_evidence,
    part_at,
)
from ficlens.model import Evidence

TEXT = (
    "Chapter one.\n\n"
    "The rain had not stopped for three days when Mara finally kissed him by the harbour wall, "
    "and the gulls went on shouting as if nothing had happened.\n\n"
    "Later, much later, she would say it was the weather."
)


def test_evidence_around_keeps_the_hit_and_cuts_at_word_edges():
    start = TEXT.index("kissed")
    item = evidence_around(TEXT, start, start + len("kissed"), (0, len(TEXT)))
    assert item.start <= start and item.end >= start + len("kissed")
    assert item.end - item.start <= EXCERPT_CHARS
    assert "kissed" in item.excerpt
    assert not TEXT[item.start - 1].isalnum() and not TEXT[item.end].isalnum()  # whole words
    assert item.excerpt == " ".join(TEXT[item.start : item.end].split())


def test_evidence_around_never_crosses_a_paragraph_break_or_the_part():
    start = TEXT.index("Later")
    item = evidence_around(TEXT, start, start + 5, (0, len(TEXT)))
    assert item.start == start  # the paragraph starts there
    assert "\n\n" not in TEXT[item.start : item.end]
    part = (TEXT.index("The rain"), TEXT.index("harbour"))
    hit = TEXT.index("Mara")
    item = evidence_around(TEXT, hit, hit + 4, part)
    assert part[0] <= item.start and item.end <= part[1]


def test_a_longer_limit_gives_more_context():
    start = TEXT.index("kissed")
    short = evidence_around(TEXT, start, start + 6, (0, len(TEXT)), 30)
    long = evidence_around(TEXT, start, start + 6, (0, len(TEXT)), 120)
    assert short.end - short.start <= 30 < long.end - long.start <= 120


def test_a_hit_longer_than_the_limit_is_cut_to_it():
    start = TEXT.index("The rain")
    assert excerpt_span(TEXT, start, start + 100, (0, len(TEXT)), 40) == (start, start + 40)


def test_evidence_of_cites_the_span_itself():
    text = "He said:   “Come\n  home,  Mara.”" + " x" * 60
    start, end = text.index("“"), text.index("”") + 1
    assert evidence_of(text, start, end) == Evidence(start, end, "“Come home, Mara.”")
    assert evidence_of(text, 0, len(text), 10) == Evidence(0, len(text), "He said: “")  # collapsed, then cut


def test_opening_evidence_cites_whole_parts_by_their_first_words():
    parts = [(0, 12), (14, len(TEXT))]
    first, second = opening_evidence(TEXT, parts, 20)
    assert (first.start, first.end, first.excerpt) == (0, 12, "Chapter one.")
    assert (second.start, second.end) == (14, len(TEXT))
    assert second.excerpt == "The rain had not"  # cut back to the last whole word within 20
    assert TEXT[14:].startswith(second.excerpt)


def test_part_at():
    parts = [(0, 10), (20, 30)]
    assert part_at(parts, 5, 40) == (0, 10)
    assert part_at(parts, 20, 40) == (20, 30)
    assert part_at(parts, 15, 40) == (0, 40)  # between parts: the whole text


def test_first_apart_skips_overlaps_and_stops_at_the_count():
    built = []

    def candidates():
        for span in [(0, 10), (5, 15), (10, 20), (30, 40), (50, 60)]:
            built.append(span)
            yield Evidence(span[0], span[1], "")

    chosen = first_apart(candidates(), 3)
    assert [(e.start, e.end) for e in chosen] == [(0, 10), (10, 20), (30, 40)]
    assert len(built) == 4  # the fifth candidate was never built


@given(st.text(alphabet="ab \n.", max_size=200), st.integers(0, 199), st.integers(1, 30), st.integers(5, 120))
def test_excerpt_span_properties(text, start, width, limit):
    start = min(start, len(text))
    end = min(len(text), start + width)
    left, right = excerpt_span(text, start, end, (0, len(text)), limit)
    assert right - left <= max(limit, 0)
    if end - start < limit:
        assert left <= start and end <= right  # the hit itself is always in the excerpt
        if "\n" not in text[start:end]:  # a hit is words, never half a paragraph break
            assert "\n\n" not in text[left:right]
