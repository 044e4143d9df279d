"""Paragraphs: where the text breaks, in the three senses the steps need.

A paragraph break means different things to different steps, and the differences are real (each
was tuned on its own data), so this module offers each sense once, by name, instead of a regex
per module:

- `paragraph_breaks` — where one turn of dialogue ends (attribution, coreference): blank lines,
  or, in text with no blank line at all, single newlines, unless the lines are sentences of a
  tokenised corpus rather than paragraphs. Computed once per work as the `paragraphs` layer.
- `quote_paragraph_ends` — where an unclosed quotation must end at the latest (quote detection,
  which runs before anything else is known): blank lines, and also a newline before a line that
  opens with a quotation mark, since a new speech starts a new paragraph even in text whose
  paragraphs are not separated by blank lines.
- `count_paragraphs` — how many paragraphs the story statistics report: blocks between blank
  lines, where "blank" is any whitespace (scraped HTML leaves lines of non-breaking spaces).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..analysis import Analysis
from ..component import component

BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A blank line in the widest sense: only whitespace (also non-breaking spaces) between two newlines.
WHITESPACE_LINE = re.compile(r"\n\s*\n")
# A blank line, or a newline before a line that opens a quotation.
QUOTE_PARAGRAPH = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*[“\"‘'«])")


@dataclass(frozen=True)
class ParagraphSettings:
    # One-paragraph-a-line text hardly ever starts a line in lower case; one-sentence-a-line text
    # (LitBank: "…"⏎he asked .) does. Above this share of lower-case line starts, newlines are
    # sentence ends, not paragraph breaks.
    lowercase_line_share: float = 0.02


def paragraph_breaks(text: str, lowercase_line_share: float = ParagraphSettings.lowercase_line_share) -> list[int]:
    """Offsets of paragraph breaks: blank lines, or single newlines in text that has no blank
    lines at all (one paragraph a line). Wrapped lines inside a paragraph are not breaks, and
    neither are the newlines of one-sentence-a-line text (tokenised corpora such as LitBank):
    there lines often start in lower case ("…"⏎he asked .), which a paragraph never does."""
    blanks = [m.start() for m in BLANK_LINE.finditer(text)]
    if blanks or text.count("\n") < 3:
        return blanks
    newlines = [m.start() for m in re.finditer("\n", text)]
    lower = sum(1 for m in re.finditer(r"\n[ \t]*[a-z]", text))
    return [] if lower > lowercase_line_share * len(newlines) else newlines


def break_between(breaks: list[int], start: int, end: int) -> bool:
    """Whether a paragraph break (from `paragraph_breaks`) lies in [start, end)."""
    i = bisect.bisect_left(breaks, start)
    return i < len(breaks) and breaks[i] < end


@dataclass(frozen=True)
class Paragraphs:
    """The `paragraphs` layer: a work's paragraph breaks (`paragraph_breaks` of its whole text).

    Falsy when the text shows no paragraphs (flattened text, one sentence a line): steps then
    read sentences and tokens only, with no paragraph boundary to lean on."""

    breaks: list[int]

    def __bool__(self) -> bool:
        return bool(self.breaks)

    def between(self, start: int, end: int) -> bool:
        """Whether a paragraph break lies in [start, end)."""
        return break_between(self.breaks, start, end)

    def within(self, start: int, end: int) -> list[int]:
        """The breaks in [start, end), in text order."""
        return self.breaks[bisect.bisect_left(self.breaks, start) : bisect.bisect_left(self.breaks, end)]


def quote_paragraph_ends(text: str) -> list[int]:
    """Where paragraphs end for quote detection (see the module docstring), and the text's end."""
    return [m.start() for m in QUOTE_PARAGRAPH.finditer(text)] + [len(text)]


def count_paragraphs(text: str) -> int:
    """Non-empty blocks between whitespace-only lines."""
    return len([p for p in WHITESPACE_LINE.split(text) if p.strip()])


@component("paragraphs", assigns=("paragraphs",), settings=ParagraphSettings)
def find_paragraphs(analysis: Analysis, settings: ParagraphSettings = ParagraphSettings()) -> None:
    """Pipeline component: the work's paragraph breaks, once, for every step that reads dialogue."""
    analysis.layers.paragraphs = Paragraphs(paragraph_breaks(analysis.work.text, settings.lowercase_line_share))
