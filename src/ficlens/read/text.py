"""Plain-text input: decoding bytes of unknown encoding, repairing mojibake, building a `Work`.

Fan fiction arrives as UTF-8, as Windows-1252 from old Windows editors, as UTF-16 from Notepad,
and often as a mix (a UTF-8 dump with a few pasted cp1252 lines). Decoding tries strict UTF-8
first because it is fast and almost never wrong; only the lines that fail are decoded as cp1252,
so a 50 MB file costs one pass. Mojibake ("Iâ€™m") is repaired with ftfy, but only on lines
that could contain it, and every change is recorded in a `TextMap` so offsets in the repaired
text can always be traced back to the text as decoded.
"""

from __future__ import annotations

import codecs
import difflib
import logging
import os
import re
from dataclasses import dataclass
from typing import Iterator

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-1252" codec we decode with)

from .. import segment
from ..errors import UnreadableInput
from ..model import Part, TextMap, Work

log = logging.getLogger(__name__)

__all__ = ["DecodedText", "decode", "iter_file_parts", "leading_title", "read_text_bytes", "repair_mojibake"]


@dataclass
class DecodedText:
    """Text decoded from bytes; `source_text` is set only when mojibake repair changed it."""

    text: str
    source_text: str | None
    text_map: TextMap
    encoding: str


# --- encoding detection ------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# File signatures of formats people mistakenly feed us. Only ones no story can start with.
_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"%PDF-",
    b"\x1f\x8b",  # gzip
    b"\x7fELF",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",  # zstd
    b"SQLite format 3\x00",
    b"\xca\xfe\xba\xbe",  # Java class / Mach-O fat
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xce\xfa\xed\xfe",
    b"\x00asm",
    b"wOFF",
    b"wOF2",
    b"OggS\x00",
    b"RIFF",
    b"ID3\x03",
    b"ID3\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # old MS Office
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")

_SAMPLE_BYTES = 1 << 16
_DECODE_BLOCK = 1 << 20
# C0 control bytes that never occur in text (tab, LF, VT, FF, CR and ESC are left out).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
_HIGH_BYTES = bytes(range(128, 256))
_HIGH_RUN = re.compile(rb"[\x80-\xff]{3,}")


def _is_binary_sample(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))
    return controls >= 4 and controls > len(sample) // 100


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM shows as a NUL in every other byte (for Latin-script text)."""
    half = len(sample) // 2
    if half < 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls >= 0.3 * half and even_nuls <= 0.02 * half:
        return "utf-16-le"
    if even_nuls >= 0.3 * half and odd_nuls <= 0.02 * half:
        return "utf-16-be"
    return None


def _decode_wide(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise UnreadableInput(f"undecodable {encoding.upper()} text (truncated or corrupt)") from None


@dataclass
class _Cp1252Evidence:
    """What the lines that were not UTF-8 looked like, to judge whether cp1252 was a sane guess."""

    lines: int = 0
    utf8_non_ascii: bool = False  # some lines were UTF-8 with non-ASCII characters: a mixed file
    total_bytes: int = 0
    high_bytes: int = 0
    undefined_bytes: int = 0
    run_bytes: int = 0

    def add(self, line: bytes) -> None:
        self.lines += 1
        self.total_bytes += len(line)
        high = len(line) - len(line.translate(None, _HIGH_BYTES))
        self.high_bytes += high
        self.undefined_bytes += len(line) - len(line.translate(None, _CP1252_UNDEFINED))
        self.run_bytes += sum(len(run) for run in _HIGH_RUN.findall(line))

    def is_plausible(self) -> bool:
        if self.undefined_bytes > max(2, self.high_bytes // 200):
            return False
        if self.high_bytes > 0.3 * self.total_bytes:
            return False  # Cyrillic, Greek or CJK in a legacy code page, not Western text
        return not (self.high_bytes >= 20 and self.run_bytes > 0.3 * self.high_bytes)


def _decode_utf8_or_cp1252(data: bytes) -> tuple[str, str]:
    """Strict UTF-8; any line that is not UTF-8 is decoded as cp1252 instead.

    Working line by line keeps a mostly-UTF-8 file with a few pasted cp1252 lines readable.
    Blocks of about a megabyte are tried whole first, so that a clean file is a few big decodes
    and a cp1252 file costs per-line work only (a failed decode copies its whole input into
    the exception, so never decode the rest of a large file just to find the next error).
    """
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    pieces: list[str] = []
    evidence = _Cp1252Evidence()
    pos, size = 0, len(data)
    while pos < size:
        newline = data.find(b"\n", min(pos + _DECODE_BLOCK, size))
        end = size if newline < 0 else newline + 1
        block = data[pos:end]
        try:
            decoded = block.decode("utf-8")
        except UnicodeDecodeError:
            for line in block.split(b"\n"):
                pieces.append(_decode_line(line, evidence))
                pieces.append("\n")
            pieces.pop()  # split() adds one more piece than there were newlines
        else:
            pieces.append(decoded)
            evidence.utf8_non_ascii |= not decoded.isascii()
        pos = end
    if not evidence.is_plausible():
        raise UnreadableInput("undecodable text: not UTF-8, UTF-16 or Windows-1252")
    encoding = "utf-8+cp1252" if evidence.utf8_non_ascii else "cp1252"
    return "".join(pieces), encoding


def _decode_line(line: bytes, evidence: _Cp1252Evidence) -> str:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        evidence.add(line)
        return line.decode("sloppy-windows-1252")
    evidence.utf8_non_ascii |= not text.isascii()
    return text


def _has_binary_magic(data: bytes) -> bool:
    return any(data.startswith(magic) for magic in _MAGIC) or _BZIP2.match(data) is not None


def _check_not_binary(data: bytes) -> None:
    if _has_binary_magic(data):
        raise UnreadableInput("binary file, not text")
    if _is_binary_sample(data[:_SAMPLE_BYTES]) or _is_binary_sample(data[-_SAMPLE_BYTES:]):
        raise UnreadableInput("binary file, not text")
    # A stray NUL deep inside a scraped dump is tolerated (the repair removes it); many are not.
    if data.count(0) > len(data) // 1000:
        raise UnreadableInput("binary file, not text")


def _decode_bytes(data: bytes) -> tuple[str, str]:
    if not data:
        raise UnreadableInput("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if encoding == "utf-8":
                _check_not_binary(body)
                text, found = _decode_utf8_or_cp1252(body)
                return text, "utf-8-sig" if found == "utf-8" else found
            return _decode_wide(body, encoding), encoding
    if _has_binary_magic(data):
        raise UnreadableInput("binary file, not text")
    wide = _utf16_without_bom(data[:_SAMPLE_BYTES])
    if wide:
        text = _decode_wide(data, wide)
        if _is_binary_sample(text[: _SAMPLE_BYTES // 2].encode("utf-8", "surrogatepass")):
            raise UnreadableInput("binary file, not text")
        return text, wide
    _check_not_binary(data)
    return _decode_utf8_or_cp1252(data)


# --- mojibake repair ---------------------------------------------------------------------------

_FIXER = ftfy.TextFixerConfig(
    unescape_html="auto",
    uncurl_quotes=False,  # curly quotes are the author's; quote detection relies on them
    fix_line_breaks=False,  # line structure is how we find parts
    fix_latin_ligatures=False,
    fix_character_width=False,
    normalization=None,
    explain=False,
)
# A line can only change under `_FIXER` if it holds a character outside this set: mojibake always
# contains a non-ASCII character other than curly quotes, dashes and the ellipsis; HTML entities
# need "&"; the control characters ftfy removes are outside it too.
_MAYBE_BROKEN = re.compile("[^\t\n\x0c\r\x20-\x25\x27-\x7e\u2018\u2019\u201c\u201d\u2013\u2014\u2026]")
_MAX_UNIT = 4096  # longer lines (flattened text) are repaired in windows around each suspect
_WINDOW = 1024


def _repair_unit(text: str, pos: int) -> tuple[int, int]:
    """The span to repair around a suspect character: its line, or a window of a long line."""
    line_start = text.rfind("\n", 0, pos) + 1
    newline = text.find("\n", pos)
    line_end = len(text) if newline < 0 else newline + 1
    if line_end - line_start <= _MAX_UNIT:
        return line_start, line_end
    return _safe_break(text, max(line_start, pos - _WINDOW), line_start, -1), _safe_break(
        text, min(line_end, pos + _WINDOW), line_end, 1
    )


def _safe_break(text: str, pos: int, limit: int, step: int) -> int:
    """A space between two ASCII characters near `pos`: mojibake never spans one."""
    for _ in range(_WINDOW):
        if pos == limit:
            return limit
        if text[pos] == " " and text[pos - 1].isascii() and text[pos - 1] != " ":
            return pos if step < 0 else pos + 1
        pos += step
    return limit


_TOKEN = re.compile(r"\S+\s*|\s+")


def _anchors_for(source: str, repaired: str, source_base: int, repaired_base: int) -> list[tuple[int, int]]:
    """Alignment anchors between a unit and its repair: words first, characters within changed words.

    Aligning characters directly is quadratic on a few kilobytes of prose (few distinct
    characters); words are nearly unique, and repairs only ever touch a handful of them.
    """
    source_tokens = _TOKEN.findall(source)
    repaired_tokens = _TOKEN.findall(repaired)
    source_starts = _starts(source_tokens)
    repaired_starts = _starts(repaired_tokens)
    anchors = []
    words = difflib.SequenceMatcher(None, source_tokens, repaired_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in words.get_opcodes():
        s1, s2 = source_starts[i1], source_starts[i2]
        r1, r2 = repaired_starts[j1], repaired_starts[j2]
        if tag == "equal":
            anchors.append((repaired_base + r1, source_base + s1))
            continue
        chars = difflib.SequenceMatcher(None, source[s1:s2], repaired[r1:r2], autojunk=False)
        for _tag, a1, _a2, b1, _b2 in chars.get_opcodes():
            anchors.append((repaired_base + r1 + b1, source_base + s1 + a1))
    anchors.append((repaired_base + len(repaired), source_base + len(source)))
    return anchors


def _starts(tokens: list[str]) -> list[int]:
    starts = [0]
    for token in tokens:
        starts.append(starts[-1] + len(token))
    return starts


def _add_anchors(anchors: list[tuple[int, int]], new: list[tuple[int, int]]) -> None:
    """Keep only anchors where the offset difference changes; between them the texts run in step."""
    for repaired, source in new:
        if anchors and anchors[-1][0] == repaired:
            anchors.pop()
        delta = source - repaired
        previous = anchors[-1][1] - anchors[-1][0] if anchors else 0
        if delta != previous:
            anchors.append((repaired, source))


def repair_mojibake(text: str) -> tuple[str, TextMap]:
    """`text` with mojibake repaired (ftfy), plus the map from repaired offsets back to `text`.

    Returns `text` itself (same object) and an identity map when nothing needed repair.
    """
    pieces: list[str] = []
    anchors: list[tuple[int, int]] = []
    copied = 0  # source offset up to which pieces hold the text
    repaired_len = 0
    pos = 0
    while True:
        match = _MAYBE_BROKEN.search(text, pos)
        if match is None:
            break
        start, end = _repair_unit(text, match.start())
        start = max(start, copied)
        unit = text[start:end]
        fixed = ftfy.fix_text(unit, _FIXER)
        if fixed != unit:
            pieces.append(text[copied:start])
            repaired_len += start - copied
            _add_anchors(anchors, _anchors_for(unit, fixed, start, repaired_len))
            pieces.append(fixed)
            repaired_len += len(fixed)
            copied = end
        pos = max(end, match.end())
    if not pieces:
        return text, TextMap()
    pieces.append(text[copied:])
    repaired = "".join(pieces)
    del pieces
    return repaired, TextMap(anchors)


def decode(data: bytes) -> DecodedText:
    """Decode a plain-text file and repair mojibake; raises `UnreadableInput` for non-text."""
    text, encoding = _decode_bytes(data)
    if not text or text.isspace():
        raise UnreadableInput("empty file")
    repaired, text_map = repair_mojibake(text)
    if repaired is not text and repaired.isspace() or not repaired:
        raise UnreadableInput("no readable text (only control characters)")  # ftfy removed them all
    if repaired is text:
        return DecodedText(text=text, source_text=None, text_map=TextMap(), encoding=encoding)
    log.debug("repaired mojibake (%d anchors)", len(text_map.anchors))
    return DecodedText(text=repaired, source_text=text, text_map=text_map, encoding=encoding)


# --- title -------------------------------------------------------------------------------------

_AO3_KEYS = re.compile(
    r"(?:Rating|Archive Warnings?|Categor(?:y|ies)|Fandoms?|Relationships?|Characters|"
    r"Additional Tags|Language|Stats|Series|Collections)\s*:"
)
_BLOCK_LABEL = re.compile(r"(?:Summary|Notes|Work Text)\s*:|Chapter Text\b")
_HEAD_CHARS = 20_000


def leading_title(text: str) -> str | None:
    """The title a text states about itself at its very top, if it clearly does.

    Either a `Title:` header line, or the line AO3 puts between its tag block and "Summary:"
    when a work page is copied and pasted.
    """
    head = text[:_HEAD_CHARS]
    first = head.lstrip()
    match = re.match(r"Title[ \t]*:[ \t]*(?P<title>[^\n\r]+)", first)
    if match:
        title = match.group("title")
        # a flattened header ("Title: X Author: Y Rating: …") runs on; cut at the next key
        cut = segment.HEADER_KEY.search(title, 1)
        inline_label = _BLOCK_LABEL.search(title)
        ends = [m.start() for m in (cut, inline_label) if m]
        title = (title[: min(ends)] if ends else title).strip()
        return title if 0 < len(title) <= 200 else None
    return _ao3_pasted_title(head)


def _ao3_pasted_title(head: str) -> str | None:
    lines = [line.strip() for line in head.splitlines()[:80]]
    keyed = [i for i, line in enumerate(lines) if _AO3_KEYS.match(line)]
    if len(keyed) < 3:
        return None
    labels = [i for i, line in enumerate(lines) if _BLOCK_LABEL.match(line)]
    last_key = keyed[-1]
    after = [i for i in labels if i > last_key]
    if not after:
        return None
    # The stats block's values follow its key; the title is the first line after them that
    # is not itself a "Key: value" statistic.
    for line in lines[last_key + 1 : after[0]]:
        if line and not re.match(r"[A-Z][A-Za-z ]{0,20}:\s*\S*$", line) and not re.fullmatch(r"[\d,/.\-: ]+", line):
            return line if len(line) <= 200 else None
    return None


# --- reading -----------------------------------------------------------------------------------


def read_text_bytes(data: bytes, *, source: str, work_id: str) -> Work:
    """A `Work` from the bytes of a plain-text file (FanFicFare text output is recognised)."""
    decoded = decode(data)
    text = decoded.text
    try:
        from . import fanficfare
    except ImportError:
        fanficfare = None  # type: ignore[assignment]
    if fanficfare is not None and fanficfare.looks_like_fanficfare_text(text):
        work = fanficfare.parse_fanficfare_text(text, source=source, work_id=work_id)
        if decoded.source_text is not None and (work.text is text or work.text == text):
            work.source_text = decoded.source_text
            work.text_map = decoded.text_map
        return work
    return Work(
        id=work_id,
        text=text,
        parts=segment.split_parts(text),
        source=source,
        format="text",
        title=leading_title(text),
        source_text=decoded.source_text,
        text_map=decoded.text_map,
    )


def _stream_encoding(sample: bytes) -> tuple[str, int]:
    """(encoding, bytes of BOM to skip) for streaming, from the first block of a file."""
    if not sample:
        raise UnreadableInput("empty file")
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return ("utf-8" if encoding == "utf-8" else encoding), len(bom)
    wide = _utf16_without_bom(sample)
    if wide:
        return wide, 0
    _check_not_binary(sample)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut at the block's end
            return "cp1252", 0
    return "utf-8", 0


def iter_file_parts(path: str | os.PathLike[str], block_bytes: int = 1 << 20) -> Iterator[Part]:
    """The parts of a (possibly huge) text file, read in blocks: memory stays bounded by the
    longest line and one chapter, whatever the file size. Offsets index the decoded text as
    given (no mojibake repair in this streaming mode)."""
    from ..errors import InputNotFound

    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise InputNotFound(f"{path}: no such file or directory") from None
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read: {exc.strerror or exc}") from None

    def lines() -> Iterator[str]:
        with handle:
            first = handle.read(block_bytes)
            encoding, skip = _stream_encoding(first)
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            pending = ""
            block = first[skip:]
            while block:
                pending += decoder.decode(block)
                *complete, pending = pending.split("\n")
                for line in complete:
                    yield line + "\n"
                block = handle.read(block_bytes)
            pending += decoder.decode(b"", final=True)
            if pending:
                yield pending

    yield from segment.iter_parts(lines())
