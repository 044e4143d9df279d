"""Splitting plain text into parts: story body, summary, notes and end notes, per chapter.

Plain-text fan fiction carries its structure only as words: "Chapter 3", "Summary:", "A/N:",
the labels an AO3 page leaves behind when it is copied and pasted. Scraped dumps are often
*flattened* (the whole work on one line), so labels are also looked for inside a line, with
stricter rules there: an ordinary sentence ("She took notes: three of them.") must stay story.

The work is read line by line. A *unit* is everything from one chapter heading to the next;
within it only labels and a few numbers per gap between labels are kept (never the text), and
the unit is resolved into parts when the next heading or the end arrives. Memory is therefore
bounded by the labels of one chapter, whatever the size of the work.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .model import BODY, END_NOTES, NOTES, SUMMARY, Part

__all__ = ["HEADER_KEY", "iter_parts", "split_parts"]

# Label roles. NOTE_LABEL is "beginning notes" before the story and "end notes" after it.
_SUMMARY_LABEL = "summary"
_NOTE_LABEL = "notes"
_END_LABEL = "end"
_BODY_LABEL = "body"

_LONG_LINE = 2000  # a line this long is a flattened text, or most of one
_MAX_SHORT_LINE = 200  # headings, headers and labels on their own line are shorter than this
_MAX_LEAD_BLOCK = 2000  # a note or summary without an explicit end is at most one paragraph of this
_MAX_LEAD_LINES = 5
_PREAMBLE_REACH = 5000  # "Summary:"/"Notes:" inside a line count if "Work Text:" follows this soon
_RESIDUE_CHARS = 300  # title and author lines above a pasted AO3 work

# --- line patterns -----------------------------------------------------------------------------

HEADER_KEY = re.compile(
    r"(?:Title|Author|Authors|Creator|By|Rating|Archive Warnings?|Warnings?|Categor(?:y|ies)|Fandoms?|"
    r"Relationships?|Pairings?|Characters?|Additional Tags|Freeform|Tags|Language|Series|Collections?|"
    r"Stats|Published|Updated|Completed|Words|Word Count|Chapters|Comments|Kudos|Bookmarks|Hits|"
    r"Status|Source|URL|Link|Posted|Date|Genres?)[ \t]*:"
)

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_WORD_NUMBER = rf"(?:(?:{'|'.join(_TENS)})(?:[\s-]+(?:{_UNITS}))?|{_TEENS}|{_UNITS}|zero|one[\s-]+hundred)"
_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})", re.I)
_NUMBER = rf"(?:\d{{1,4}}|[ivxlcdm]+|{_WORD_NUMBER})"
_SEPARATOR_TITLE = r"(?:\s*[:.|)\-–—]\s*(?P<title>\S.*)?)?"
_CHAPTER_HEADING = re.compile(rf"(?:chapter|chap\.|ch\.|part|book)\s*(?P<num>{_NUMBER}){_SEPARATOR_TITLE}", re.I)
_NAMED_HEADING = re.compile(rf"(?:prologue|epilogue|interlude)(?:\s+(?P<num>\d{{1,3}}))?{_SEPARATOR_TITLE}", re.I)
_BARE_NUMBER = re.compile(r"(?P<num>\d{1,3}|[IVXLC]+)\.")
_DECORATION = " \t*#=~_[]<>|"
_SEPARATOR_LINE = re.compile(r"[*~=#\-_+•·—–<>|/\\ ]+|(?:o+O+o+|O+o+O+|x+X+x+|X+x+X+)")
_NOISE_LINE = re.compile(r"\(?See the end of the (?:work|chapter) for (?:more )?notes\.?\)?", re.I)

# A label at the start of a line. Word labels must be capitalised (or all caps) and, when text
# follows on the same line, take a colon: "Notes are strange" is a sentence, "Notes: …" a label.
_START_LABEL = re.compile(
    r"""[(\[*_~#]*[ \t]*(?:
       (?P<end>(?:Chapter[ \t]+)?End[ \t]+Notes|(?:CHAPTER[ \t]+)?END[ \t]+NOTES|Afterword|AFTERWORD)
      |(?P<body>Work[ \t]+Text|WORK[ \t]+TEXT|Chapter[ \t]+Text|CHAPTER[ \t]+TEXT)
      |(?P<summary>(?:Chapter[ \t]+)?Summary|(?:CHAPTER[ \t]+)?SUMMARY)
      |(?P<notes>(?:Chapter[ \t]+)?Notes|(?:CHAPTER[ \t]+)?NOTES|Author(?:'|’)?s?[ \t]+Notes?|AUTHOR(?:'|’)?S?[ \t]+NOTES?
                 |[Aa]/[Nn]|AN(?=[ \t]*:)|Disclaimer|DISCLAIMER)
    )(?![\w/])""",
    re.X,
)
# The same labels inside a line. Only forms that ordinary prose does not produce.
_INLINE_LABEL = re.compile(
    r"""(?=[CEWSNA/])(?:
       (?P<end>(?:Chapter[ ])?End[ ]Notes|(?:CHAPTER[ ])?END[ ]NOTES)(?=[\s:])
      |(?P<body>Work[ ]Text:|WORK[ ]TEXT:|Chapter[ ]Text(?=[\s:])|CHAPTER[ ]TEXT(?=[\s:]))
      |(?P<summary>(?:Chapter[ ])?Summary:|(?:CHAPTER[ ])?SUMMARY:)
      |(?P<notes>(?:Chapter[ ])?Notes:|(?:CHAPTER[ ])?NOTES:|/[Nn](?![\w/])|Author(?:'|’)?s?[ ]Notes?:|AUTHOR(?:'|’)?S?[ ]NOTES?:)
    )""",
    re.X,
)
# ("A/N" is matched from its slash: a pattern starting with "a" would stop the scan at every "a";
# the lookahead on first letters lets the regex engine skip ahead, ten times faster on long lines.)
# Every inline label contains one of these; most lines contain none, and this is cheap to check.
_LABEL_HINT = re.compile(r"Not|NOT|Text|TEXT|Summ|SUMM|/[Nn]")
_LABEL_TAIL = re.compile(r"[ \t]*[:\-–—][ \t]*|[ \t]+")
_CLOSING_DECORATION = " \t:.)]*_~#-–—"
_SENTENCE_END = set(".!?…\"”’')]*~_-–—")
_QUOTES = ('"', "“", "”", "»")
_LABEL_WORDS_NEED_COLON = (_SUMMARY_LABEL, _NOTE_LABEL)


def _number_value(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text]
    parts = re.split(r"[\s-]+", text)
    if parts[0] in _TENS:
        units = _NUMBER_WORDS.get(parts[1], 0) if len(parts) > 1 else 0
        return _TENS[parts[0]] + units
    if parts == ["one", "hundred"]:
        return 100
    if _ROMAN.fullmatch(text):
        value, previous = 0, 0
        for char in reversed(text.upper()):
            digit = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}[char]
            value = value - digit if digit < previous else value + digit
            previous = max(previous, digit)
        return value
    return None


def _is_worded_heading(core: str) -> bool:
    bare = core.strip(_DECORATION)
    match = _CHAPTER_HEADING.fullmatch(bare) or _NAMED_HEADING.fullmatch(bare)
    if match is None:
        return False
    number = match.group("num")
    return number is None or _number_value(number) is not None


# --- tokens ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Label:
    role: str
    start: int
    end: int
    alone: bool  # the whole line is the label ("A/N", "End Notes:")
    own_line: bool  # the line starts with the label ("A/N: thanks for reading")
    near_line_end: bool  # inside a line, near its end or after its last dialogue (flattened text)
    chapter_scoped: bool = False  # "Chapter Notes", "Chapter End Notes": about a chapter, not the work


@dataclass(slots=True)
class _Heading:
    start: int
    end: int
    title: str


@dataclass(slots=True)
class _Text:
    start: int
    end: int
    new_line: bool  # first text of its line
    separator: bool  # a scene break ("* * *"): content, but not where a block starts or ends
    sentence_end: bool = False  # ends its line with a full stop: prose, not a title or byline


_BLANK = "blank"  # also headers and noise lines: they end a paragraph and belong to no part
_HEADER = "header"


class _LineScanner:
    """Turns lines into tokens. Knows only what one line, and a little state, can tell."""

    def __init__(self) -> None:
        self.offset = 0
        self.in_header = True  # still in the "Title: … Author: …" block at the top
        self.header_value_pending = False  # AO3 puts a header's value on the next line
        self.seen_text = False
        self.seen_worded_heading = False
        self.last_bare_number: int | None = None

    def scan(self, line: str) -> list[object]:
        base = self.offset
        self.offset += len(line)
        start, end = 0, len(line)
        while start < end and line[start].isspace():
            start += 1
        while end > start and line[end - 1].isspace():
            end -= 1
        if start == end:
            return [_BLANK]
        short = end - start <= _MAX_SHORT_LINE
        core = line[start:end] if short else ""
        if self.in_header:
            header = self._header(line, base, start, end, core)
            if header is not None:
                return header
            self.in_header = False
        if short:
            heading = self._heading(core)
            if heading is not None:
                return [_Heading(base + start, base + end, heading)]
            if _NOISE_LINE.fullmatch(core):
                return [_BLANK]
            if _SEPARATOR_LINE.fullmatch(core):
                return [_Text(base + start, base + end, True, True)]
        tokens: list[object] = []
        label = self._start_label(line, start, end)
        content = start
        if label is not None:
            role, label_end, content = label
            scoped = line.startswith(("Chapter", "CHAPTER"), start)
            tokens.append(_Label(role, base + start, base + label_end, content >= end, True, False, scoped))
        tokens.extend(self._inline(line, base, content, end, start))
        return tokens

    # -- header block at the top --

    def _header(self, line: str, base: int, start: int, end: int, core: str) -> list[object] | None:
        short = bool(core)
        if self.header_value_pending and short and not _START_LABEL.match(core) and not _is_worded_heading(core):
            self.header_value_pending = False
            return [_HEADER]
        self.header_value_pending = False
        match = HEADER_KEY.match(line, start)
        if match is None:
            return None
        if short:
            self.header_value_pending = match.end() - start == len(core.rstrip())
            return [_HEADER]
        # A flattened header: "Title: X Author: Y Summary: … Work Text: …"
        labels = _INLINE_LABEL.finditer(line, match.end(), min(end, start + _LONG_LINE))
        label_start = next((s for s in map(_label_start, labels) if s >= 0), None)
        if label_start is None:
            return None
        self.in_header = False
        return [_HEADER, *self._inline(line, base, label_start, end, start)]

    # -- headings --

    def _heading(self, core: str) -> str | None:
        """The heading's text if `core` (a whole line) is a chapter heading. Tracks numbering."""
        bare = core.strip(_DECORATION)
        if not bare:
            return None
        if _is_worded_heading(bare):
            self.seen_worded_heading = True
            return bare
        match = _BARE_NUMBER.fullmatch(bare)
        if match is None or self.seen_worded_heading:
            return None
        value = _number_value(match.group("num"))
        if value is None:
            return None
        expected = self.last_bare_number + 1 if self.last_bare_number is not None else None
        if value == expected or (expected is None and (value <= 1 or not self.seen_text)):
            self.last_bare_number = value
            return bare
        return None

    # -- labels --

    def _start_label(self, line: str, start: int, end: int) -> tuple[str, int, int] | None:
        match = _START_LABEL.match(line, start, end)
        if match is None:
            return None
        role = match.lastgroup
        assert role is not None
        label_end = match.end()
        tail = _LABEL_TAIL.match(line, label_end, end)
        content = tail.end() if tail else label_end
        if content >= end or not line[content:end].strip(_CLOSING_DECORATION):
            return role, label_end, end  # the label alone on its line
        needs_colon = role in _LABEL_WORDS_NEED_COLON and not line.startswith(("A/", "a/", "A/N"), match.start(role))
        if needs_colon and not (tail and ":" in line[label_end : tail.end()]):
            return None
        return role, label_end, content

    def _inline(self, line: str, base: int, pos: int, end: int, line_start: int) -> list[object]:
        """Text from `pos` to `end`, cut where a label stands inside the line."""
        tokens: list[object] = []
        hinted = pos < end and _LABEL_HINT.search(line, pos, end) is not None
        candidates = [m for m in _INLINE_LABEL.finditer(line, pos, end) if _label_start(m) >= 0] if hinted else []
        last_quote = max(line.rfind(q, line_start, end) for q in _QUOTES) if candidates else -1
        bodies = [m.start() for m in candidates if m.lastgroup == _BODY_LABEL]
        accepted = [m for m in candidates if self._accept_inline(line, m, bodies, line_start, end, last_quote)]
        new_line = True  # the first text of the line, even when a label stands before it
        for match in accepted:
            text_end = _label_start(match)
            while text_end > pos and line[text_end - 1].isspace():
                text_end -= 1
            if text_end > pos:
                tokens.append(_Text(base + pos, base + text_end, new_line, False))
                self.seen_text = True
            new_line = False
            label_end = match.end()
            tail = _LABEL_TAIL.match(line, label_end, end)
            near_end = _near_line_end(_label_start(match), line_start, end, last_quote)
            scoped = match.group().startswith(("Chapter", "CHAPTER"))
            label_start = base + _label_start(match)
            role = match.lastgroup or _NOTE_LABEL
            tokens.append(_Label(role, label_start, base + label_end, False, False, near_end, scoped))
            pos = tail.end() if tail else label_end
        if pos < end:
            tokens.append(_Text(base + pos, base + end, new_line, False, line[end - 1] in ".!?"))
            self.seen_text = True
        return tokens

    @staticmethod
    def _accept_inline(
        line: str, match: re.Match[str], bodies: list[int], line_start: int, end: int, last_quote: int
    ) -> bool:
        start = _label_start(match)
        if start == 0 or not line[start - 1].isspace():
            return False
        role = match.lastgroup
        if role in (_BODY_LABEL, _END_LABEL):
            return True
        next_body = bisect.bisect_right(bodies, start)
        if next_body < len(bodies) and bodies[next_body] <= start + _PREAMBLE_REACH:
            return True
        if role == _SUMMARY_LABEL:
            return False
        # An end note: a capitalised label right after a finished sentence…
        before = start - 1
        while before > line_start and line[before - 1].isspace():
            before -= 1
        if before <= line_start or line[before - 1] not in _SENTENCE_END:
            return False
        # …and, in a flattened text, near its end or after its last line of dialogue. In an
        # ordinary line the position in the chapter decides (see `_Resolver._is_end_note`).
        return end - line_start <= _LONG_LINE or _near_line_end(start, line_start, end, last_quote)


def _label_start(match: re.Match[str]) -> int:
    """Where the label starts; -1 for a slash that is not part of "A/N"."""
    if not match.group().startswith("/"):
        return match.start()
    before = match.start() - 1
    return before if before >= 0 and match.string[before] in "Aa" else -1


def _near_line_end(pos: int, line_start: int, end: int, last_quote: int) -> bool:
    length = end - line_start
    if end - pos <= 0.25 * length:
        return True
    return last_quote >= 0 and pos > last_quote and pos - line_start >= 0.5 * length


# --- units -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Gap:
    """The text between two labels, kept as a few offsets."""

    text_start: int | None = None  # first content (scene breaks aside)
    text_end: int | None = None  # end of the last content (scene breaks aside)
    lines: int = 0
    sentence_lines: int = 0
    runs: int = 0  # paragraphs: runs of lines without a blank line between them
    first_run_start: int | None = None
    first_run_end: int | None = None
    first_run_lines: int = 0
    first_line_end: int | None = None
    second_line_start: int | None = None
    after_first_run: int | None = None  # first content after the first paragraph
    in_run: bool = False

    @property
    def has_text(self) -> bool:
        return self.text_start is not None

    def add(self, token: _Text) -> None:
        if token.new_line:
            self.lines += 1
        if token.sentence_end:
            self.sentence_lines += 1
        if not self.in_run:
            self.runs += 1
            self.in_run = True
        if self.runs == 1:
            if self.first_run_start is None:
                self.first_run_start = token.start
                self.first_run_lines = 1
                self.first_line_end = token.end
            elif token.new_line:
                self.first_run_lines += 1
                if self.second_line_start is None:
                    self.second_line_start = token.start
            elif self.first_run_lines == 1:
                self.first_line_end = token.end
            self.first_run_end = token.end
        elif self.after_first_run is None and not token.separator:
            self.after_first_run = token.start
        if not token.separator:
            if self.text_start is None:
                self.text_start = token.start
            self.text_end = token.end

    def end_run(self) -> None:
        self.in_run = False


@dataclass
class _Unit:
    """One chapter (or the text before the first heading), as labels and the gaps between them."""

    heading: _Heading | None
    labels: list[_Label] = field(default_factory=list)
    gaps: list[_Gap] = field(default_factory=lambda: [_Gap()])
    header_seen: bool = False

    def add(self, token: object) -> None:
        if isinstance(token, _Text):
            self.gaps[-1].add(token)
        elif isinstance(token, _Label):
            self.gaps[-1].end_run()
            self.labels.append(token)
            self.gaps.append(_Gap())
        else:
            self.gaps[-1].end_run()
            if token is _HEADER:
                self.header_seen = True

    @property
    def text_end(self) -> int:
        ends = [g.text_end for g in self.gaps if g.text_end is not None]
        return max(ends) if ends else 0


class _Chapters:
    """Hands out chapter numbers in reading order."""

    def __init__(self) -> None:
        self.count = 0

    def take(self) -> int:
        self.count += 1
        return self.count


class _Resolver:
    """Decides which part each gap of one unit belongs to."""

    def __init__(self, unit: _Unit, chapters: _Chapters, followed_by_heading: bool):
        self.unit = unit
        self.chapters = chapters
        self.followed_by_heading = followed_by_heading
        self.parts: list[Part] = []
        self.open: Part | None = None
        self.chapter = chapters.take() if unit.heading else None
        self.chapter_level = unit.heading is not None
        self.title = unit.heading.title if unit.heading else None
        self.body_start: int | None = None
        self.preamble = self._preamble_labels()
        self.text_end = unit.text_end

    def _preamble_labels(self) -> set[int]:
        """Labels ("Summary:", "Notes:") introducing a chapter whose "Chapter Text" follows them."""
        labels = self.unit.labels
        marked: set[int] = set()
        for i, label in enumerate(labels):
            if label.role != _BODY_LABEL:
                continue
            k = i - 1
            if k >= 0 and labels[k].role == _NOTE_LABEL:
                marked.add(k)
                k -= 1
            if k >= 0 and labels[k].role == _SUMMARY_LABEL:
                marked.add(k)
        return marked

    # -- emitting --

    def _close(self) -> None:
        if self.open is not None and self.open.end > self.open.start:
            self.parts.append(self.open)
        self.open = None

    def _open(self, kind: str, start: int | None, end: int | None, label: _Label | None = None) -> None:
        self._close()
        if start is None or end is None:
            return
        if label is not None and label.chapter_scoped and self.chapter is None:
            self.chapter = self.chapters.take()
        if kind == BODY:
            if self.chapter is None:
                self.chapter = self.chapters.take()
            self.open = Part(BODY, start, end, title=self.title, chapter=self.chapter)
            self.title = None
            self.body_start = start
        else:
            scoped = self.chapter_level or (label is not None and label.chapter_scoped)
            chapter = self.chapter if scoped else None
            self.open = Part(kind, start, end, chapter=chapter)

    def _extend(self, end: int | None) -> None:
        if self.open is not None and end is not None and end > self.open.end:
            self.open.end = end

    def _new_chapter(self) -> None:
        self._close()
        self.chapter = self.chapters.take()
        self.chapter_level = True
        self.title = None
        self.body_start = None

    # -- deciding --

    def resolve(self) -> list[Part]:
        unit = self.unit
        phase = "pre"
        first = unit.gaps[0]
        if first.has_text and not self._is_residue(first):
            self._open(BODY, first.text_start, first.text_end)
            phase = "body"
        for k, (label, gap) in enumerate(zip(unit.labels, unit.gaps[1:])):
            if phase != "pre" and (k in self.preamble or label.role == _BODY_LABEL):
                self._new_chapter()
                phase = "pre"
            if phase == "pre":
                phase = self._leading(k, label, gap)
            elif phase == "body":
                if label.role == _END_LABEL or (label.role == _NOTE_LABEL and self._is_end_note(k, label)):
                    self._open(END_NOTES, gap.text_start, gap.text_end, label)
                    phase = "end"
                elif self.open is None:
                    self._open(BODY, label.start, gap.text_end or label.end)
                else:
                    self._extend(gap.text_end or label.end)
            else:
                self._open(END_NOTES, gap.text_start, gap.text_end, label)
        self._close()
        return self.parts

    def _leading(self, k: int, label: _Label, gap: _Gap) -> str:
        """A label before the story starts. Returns the phase after it."""
        if label.role == _BODY_LABEL:
            self._close()
            if gap.has_text:
                self._open(BODY, gap.text_start, gap.text_end)
            return "body"
        kind = {_SUMMARY_LABEL: SUMMARY, _NOTE_LABEL: NOTES, _END_LABEL: END_NOTES}[label.role]
        if self._body_label_ahead(k):
            self._open(kind, gap.text_start, gap.text_end, label)
            return "pre"
        if gap.first_run_start is None:
            return "pre"
        assert gap.first_run_end is not None and gap.first_line_end is not None
        if gap.first_run_end - gap.first_run_start <= _MAX_LEAD_BLOCK and gap.first_run_lines <= _MAX_LEAD_LINES:
            block_end, rest = gap.first_run_end, gap.after_first_run
        elif gap.first_line_end - gap.first_run_start <= _MAX_LEAD_BLOCK:
            block_end, rest = gap.first_line_end, gap.second_line_start
        else:
            # One endless paragraph (a flattened text): the label cannot be told from story.
            self._open(BODY, label.start, gap.text_end)
            return "body"
        self._open(kind, gap.first_run_start, block_end, label)
        if rest is not None and gap.text_end is not None and rest < gap.text_end:
            self._open(BODY, rest, gap.text_end)
            return "body"
        return "pre"

    def _body_label_ahead(self, k: int) -> bool:
        return any(label.role == _BODY_LABEL for label in self.unit.labels[k + 1 : k + 4])

    def _is_end_note(self, k: int, label: _Label) -> bool:
        """A notes label after story text: the start of end notes, or just words in the story?"""
        boundary = self.text_end
        for later in range(k + 1, len(self.unit.labels)):
            if later in self.preamble or self.unit.labels[later].role == _BODY_LABEL:
                boundary = self.unit.labels[later].start
                break
        body_start = self.body_start if self.body_start is not None else label.start
        span = boundary - body_start
        remaining = boundary - label.start
        if span <= 0:
            return True
        # How much of the chapter a note may take, by how sure the label is of being one.
        if label.alone:
            share = 0.75
        elif label.near_line_end:
            share = 0.5
        elif label.own_line:
            share = 0.4
        else:
            share = 0.25
        return remaining <= share * span

    def _is_residue(self, gap: _Gap) -> bool:
        """Title and author lines above the work itself, when something clearly follows them."""
        unit = self.unit
        if unit.heading is not None or gap.text_start is None or gap.text_end is None:
            return False
        short = gap.lines <= _MAX_LEAD_LINES and gap.text_end - gap.text_start <= _RESIDUE_CHARS
        if not short:
            return False
        if any(label.role == _BODY_LABEL for label in unit.labels):
            return True  # the story is after "Work Text:"; these are the page's title lines
        if gap.sentence_lines:
            return False
        # A title and a byline above header-introduced blocks or above the first chapter heading.
        return (unit.header_seen and bool(unit.labels)) or (self.followed_by_heading and not unit.labels)


# --- public ------------------------------------------------------------------------------------


def iter_parts(lines: Iterable[str]) -> Iterator[Part]:
    """Parts of a text given as its lines (with their line endings), in order.

    Offsets count characters from the first line, so `iter_parts(text.splitlines(True))`
    gives offsets into `text`.
    """
    scanner = _LineScanner()
    chapters = _Chapters()
    unit = _Unit(heading=None)
    for line in lines:
        for token in scanner.scan(line):
            if isinstance(token, _Heading):
                yield from _Resolver(unit, chapters, followed_by_heading=True).resolve()
                unit = _Unit(heading=token)
            else:
                unit.add(token)
    yield from _Resolver(unit, chapters, followed_by_heading=False).resolve()


_BLOCK_CHARS = 1 << 20


def _lines(text: str) -> Iterator[str]:
    """`text.splitlines(True)`, one block at a time, so a large text is never copied whole."""
    pos, size = 0, len(text)
    while pos < size:
        cut = text.find("\n", pos + _BLOCK_CHARS) if size - pos > _BLOCK_CHARS else -1
        end = size if cut < 0 else cut + 1
        yield from text[pos:end].splitlines(True)
        pos = end


def split_parts(text: str) -> list[Part]:
    """The parts of a whole text: body parts per chapter, summaries, notes, end notes."""
    return list(iter_parts(_lines(text)))
