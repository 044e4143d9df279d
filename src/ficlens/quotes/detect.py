"""Finding quotations in story text.

Works on characters, not tokens, so it runs before parsing and is cheap. Each story part picks
its dialogue style (curly double, straight double, or single marks as in British editions) from
which opening marks it actually uses. Scraped text is often broken: a missing closing mark is
closed at the end of its paragraph — or, in flattened text with no paragraphs, after a bounded
number of sentences — so an unclosed quote never swallows the rest of a chapter.

A quotation running over several paragraphs (an opening mark at the start of each paragraph
and no closing mark until the last) becomes one quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..analysis import Analysis
from ..component import component
from ..discourse.paragraphs import quote_paragraph_ends
from ..model import Quote, Work
from ..spans import SpanIndex

OPEN_CLOSE = {"“": "”", "‘": "’", "«": "»"}
# An unclosed quotation in flattened text ends after this many characters at the latest.
MAX_UNCLOSED_CHARS = 600
# After a straight or curly single mark, these are the rest of a word, not the start of a quotation:
# tokenised text writes "Walter 's hands", "do n't", "we 'll"; dialect "'em", "rock 'n' roll".
CLITIC = re.compile(r"(?:s|t|d|m|ll|re|ve|em|n)\b", re.IGNORECASE)


@dataclass(frozen=True)
class QuoteSpan:
    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark (or where an unclosed quote was cut)
    closed: bool = True

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1 if self.closed else self.end


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _dialogue_style(text: str) -> str:
    """Which mark opens dialogue here: '“', '"', '‘' or "'"."""
    curly_double = text.count("“")
    straight_double = text.count('"')
    curly_single_open = text.count("‘")  # never an apostrophe, unlike ’
    straight_single_open = sum(
        1 for m in re.finditer(r"(?:^|(?<=[\s(\[—–]))'(?=[A-Za-z])", text) if not CLITIC.match(text, m.end())
    )
    doubles = max(curly_double, straight_double // 2)
    singles = max(curly_single_open, straight_single_open)
    if singles > 2 * doubles and singles >= 2:
        return "‘" if curly_single_open >= straight_single_open else "'"
    if curly_double >= straight_double // 2 and curly_double:
        return "“"
    return '"' if straight_double else "“"


@dataclass(frozen=True)
class QuoteSettings:
    # An unclosed quotation in flattened text ends after this many characters at the latest.
    max_unclosed_chars: int = MAX_UNCLOSED_CHARS


def _cut_unclosed(text: str, start: int, limit: int, max_unclosed: int) -> int:
    """Where an unclosed quotation opened at `start` should end: at most `limit`, at a sentence end."""
    window = text[start:limit]
    if len(window) > max_unclosed:
        window = window[:max_unclosed]
        ends = [m.end() for m in re.finditer(r"[.!?…]+(?=\s)", window)]
        return start + (ends[-1] if ends else len(window))
    return start + len(window.rstrip())


# A closing single mark after sentence punctuation: proof that an earlier "s’ " was a possessive.
_LATER_CLOSER = {mark: re.compile(r"[.,!?…—-]" + re.escape(mark) + r"(?!\w)") for mark in "’'"}


def _find_closer(text: str, i: int, closer: str, opener: str, limit: int) -> int:
    """Index of the mark closing the quotation opened at i, or -1 before `limit`."""
    j = i + 1
    while True:
        j = text.find(closer, j, limit)
        if j < 0:
            return -1
        before = text[j - 1] if j > 0 else " "
        after = text[j + 1] if j + 1 < len(text) else " "
        if closer in "’'" and (_is_word(after) or (_is_word(before) and _is_word(after))):
            j += 1  # an apostrophe: don’t, Kylo’s, tokenised "we ’ll"
            continue
        if closer in "’'" and before in "sS" and after == " " and text[j + 2 : j + 3].islower():
            later = _LATER_CLOSER[closer].search(text, j + 1, limit)
            if later:
                j += 1  # plural possessive (the girls’ turn): a real closing mark follows
                continue
        if closer == '"' and before.isspace() and _is_word(after):
            return -1  # looks like the next opener: this quotation was never closed
        return j


def _straight_double(text: str, offset: int, max_unclosed: int) -> list[QuoteSpan]:
    """Quotations marked with straight double quotes, where opener and closer look alike.

    Each mark is classed by its surroundings — an opener has space before and a word after, a
    closer the reverse — and marks that could be either (tokenised text puts spaces on both
    sides) simply toggle. An opener met inside an open quotation means the earlier one was
    never closed: it is cut at a sentence end and a new one begins.
    """
    paragraph_ends = quote_paragraph_ends(text)
    spans: list[QuoteSpan] = []
    open_at = -1
    para = 0
    n = len(text)
    for i in (m.start() for m in re.finditer('"', text)):
        while paragraph_ends[para] <= i:
            if open_at >= 0:
                rest = text[paragraph_ends[para] :].lstrip()
                if not rest.startswith('"'):  # not a multi-paragraph quotation
                    end = _cut_unclosed(text, open_at, paragraph_ends[para], max_unclosed)
                    spans.append(QuoteSpan(offset + open_at, offset + end, closed=False))
                    open_at = -1
            para += 1
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < n else " "
        opener_like = (before.isspace() or before in "([—–-") and not after.isspace()
        closer_like = not before.isspace() and (after.isspace() or not after.isalnum())
        if open_at < 0:
            if closer_like and not opener_like and spans and spans[-1].end == offset + i:
                continue  # a stray second closing mark
            open_at = i
        elif opener_like and not closer_like and open_at >= 0 and i - open_at > 1:
            if (
                text[open_at:i].count("\n\n") == 0
                and i - open_at < max_unclosed
                and not re.search(r"[.!?,]\s*$", text[open_at:i])
            ):
                spans.append(QuoteSpan(offset + open_at, offset + i + 1))  # odd spacing, still a close
                open_at = -1
                continue
            end = _cut_unclosed(text, open_at, i, max_unclosed)
            spans.append(QuoteSpan(offset + open_at, offset + end, closed=False))
            open_at = i
        else:
            spans.append(QuoteSpan(offset + open_at, offset + i + 1))
            open_at = -1
    if open_at >= 0:
        end = _cut_unclosed(text, open_at, n, max_unclosed)
        spans.append(QuoteSpan(offset + open_at, offset + end, closed=False))
    return spans


def detect_quotes_in(text: str, offset: int = 0, max_unclosed: int = MAX_UNCLOSED_CHARS) -> list[QuoteSpan]:
    """Quotations in one story part's text; offsets are shifted by `offset`."""
    style = _dialogue_style(text)
    if style == '"':
        return _straight_double(text, offset, max_unclosed)
    closer = OPEN_CLOSE.get(style, style)
    paragraph_ends = quote_paragraph_ends(text)
    spans: list[QuoteSpan] = []
    i = 0
    n = len(text)
    while True:
        i = text.find(style, i)
        if i < 0:
            break
        after = text[i + 1] if i + 1 < n else " "
        before = text[i - 1] if i > 0 else " "
        if style in "'\"" and (after.isspace() or (_is_word(before) and style == "'")):
            i += 1  # a closing-looking or in-word mark where an opener is expected
            continue
        if style == "'" and CLITIC.match(text, i + 1):
            i += 1  # an apostrophe starting a clitic ("Walter 's", "'tis"), not a quotation
            continue
        # The paragraph holding the opener bounds the search, unless the next paragraph
        # continues the quotation (multi-paragraph speech).
        start = i
        para_end = next(e for e in paragraph_ends if e > i)
        while True:
            j = _find_closer(text, i, closer, style, para_end)
            if j >= 0:
                spans.append(QuoteSpan(offset + start, offset + j + 1))
                i = j + 1
                break
            nxt = text[para_end:].lstrip()
            next_start = n - len(nxt)
            if para_end < n and nxt.startswith(style) and text.find(closer, next_start + 1) >= 0:
                # Multi-paragraph quotation: continue in the next paragraph.
                i = next_start
                para_end = next(e for e in paragraph_ends if e > i)
                continue
            end = _cut_unclosed(text, start, para_end, max_unclosed)
            spans.append(QuoteSpan(offset + start, offset + end, closed=False))
            i = max(end, i + 1)
            break
    return spans


def detect_quotes(work: Work, max_unclosed: int = MAX_UNCLOSED_CHARS) -> list[QuoteSpan]:
    """All quotations in the story parts of a work (never in notes or summaries)."""
    spans: list[QuoteSpan] = []
    for part in work.story_parts():
        spans.extend(detect_quotes_in(work.part_text(part), part.start, max_unclosed))
    return spans


class QuoteIndex(SpanIndex[QuoteSpan]):
    """Answers "is this offset inside a quotation?" (`offset in index`, `index.at(offset)`) by
    bisection: a `SpanIndex` of the quotation spans, which never overlap."""

    @property
    def spans(self) -> list[QuoteSpan]:
        return self.items

    def at(self, offset: int) -> QuoteSpan | None:
        """The quotation covering `offset`, if any."""
        return self.containing(offset)


@component("quotes", assigns=("quote_index", "profile.quotes"), settings=QuoteSettings)
def find_quotes(analysis: Analysis, settings: QuoteSettings = QuoteSettings()) -> None:
    """Pipeline component: every quotation of the story, speaker not yet known."""
    spans = detect_quotes(analysis.work, settings.max_unclosed_chars)
    analysis.layers.quote_index = QuoteIndex(spans)
    analysis.profile.quotes = [Quote(start=s.start, end=s.end) for s in spans]
