"""Decoding plain-text bytes, mojibake repair with offset maps, and reading a text Work."""

from __future__ import annotations

import codecs
import gzip
import importlib
import random
import sys
import types

import pytest

from ficlens.errors import FiclensError, UnreadableInput
from ficlens.model import BODY, END_NOTES, Work
from ficlens.read.text import decode, leading_title, read_text_bytes, repair_mojibake

read_package = importlib.import_module("ficlens.read")

STORY = "“Wait,” Ada said. “It’s still raining — isn’t it?”\nThe café was closed… again.\n"


def assert_map_is_consistent(decoded):
    """Every repaired character outside a repaired spot maps back onto the same character."""
    source = decoded.source_text
    assert source is not None
    text = decoded.text
    mapped_same = sum(source[decoded.text_map.to_source(i)] == ch for i, ch in enumerate(text))
    assert mapped_same >= len(text) - 3 * len(decoded.text_map.anchors)
    assert decoded.text_map.to_source(len(text)) == len(source)


# --- encodings -------------------------------------------------------------------------------


def test_utf8_is_decoded_unchanged():
    decoded = decode(STORY.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.source_text) == (STORY, "utf-8", None)
    assert decoded.text_map.is_identity()


def test_utf8_bom_is_dropped():
    decoded = decode(codecs.BOM_UTF8 + STORY.encode("utf-8"))
    assert decoded.text == STORY
    assert decoded.encoding == "utf-8-sig"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(encoding):
    data = STORY.encode(encoding)
    decoded = decode(data)
    assert decoded.text == STORY
    assert decoded.encoding.startswith("utf-16")


def test_utf16_with_bom_and_curly_quotes_keeps_them():
    data = codecs.BOM_UTF16_BE + STORY.encode("utf-16-be")
    assert decode(data).text == STORY


def test_cp1252_is_detected_when_not_utf8():
    decoded = decode(STORY.encode("cp1252"))
    assert decoded.text == STORY
    assert decoded.encoding == "cp1252"


def test_mixed_utf8_file_with_one_cp1252_line():
    data = (
        "First line “fine”.\n".encode("utf-8")
        + "Second line “pasted”.\n".encode("cp1252")
        + "Third — ok.\n".encode("utf-8")
    )
    decoded = decode(data)
    assert decoded.text == "First line “fine”.\nSecond line “pasted”.\nThird — ok.\n"
    assert decoded.encoding == "utf-8+cp1252"


def test_crlf_line_breaks_are_kept():
    text = "One line.\r\nTwo “lines”.\r\n"
    assert decode(text.encode("utf-8")).text == text


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")]
)
def test_empty_input(data):
    with pytest.raises(UnreadableInput, match="^empty file$"):
        decode(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        gzip.compress(b"hello there " * 100),
        b"\x7fELF\x02\x01\x01" + bytes(60),
        random.Random(5).randbytes(5000),
        b"text with a few\x01\x02\x03\x04\x05\x06 control bytes " * 3,
    ],
    ids=["png", "pdf", "gzip", "elf", "random", "controls"],
)
def test_binary_input_is_refused_with_one_line(data):
    with pytest.raises(UnreadableInput) as caught:
        decode(data)
    assert "binary" in caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(
    "data",
    [
        "Привет, как дела? Всё хорошо, спасибо.".encode("cp1251") * 5,
        "今日は雨が降っています。明日は晴れるでしょう。".encode("shift_jis") * 5,
        b"Hello \x81\x8d\x8f\x90\x9d world \x81\x8d\x8f \x90\x9d",
    ],
    ids=["cyrillic-cp1251", "shift-jis", "undefined-in-cp1252"],
)
def test_undecodable_text_is_refused(data):
    with pytest.raises(UnreadableInput, match="undecodable"):
        decode(data)


def test_refusals_are_ficlens_errors():
    assert issubclass(UnreadableInput, FiclensError)


# --- mojibake repair -------------------------------------------------------------------------


def test_mojibake_is_repaired_and_offsets_map_back():
    decoded = decode("Iâ€™m here".encode("utf-8"))
    assert decoded.text == "I’m here"
    assert decoded.source_text == "Iâ€™m here"
    here = decoded.text.index("here")
    assert decoded.text_map.to_source(here) == decoded.source_text.index("here")


def test_curly_quotes_are_never_straightened():
    text = "‘Single’ and “double” quotes, ’tis true — and an ellipsis…\n"
    decoded = decode(text.encode("utf-8"))
    assert decoded.text == text
    assert decoded.source_text is None


def test_repair_touches_only_broken_lines_and_maps_every_offset():
    good = "“Fine,” he said. It’s fine.\n"
    broken = "She didnâ€™t know â€œwhyâ€\x9d.\n"
    text = good * 5 + broken + good * 5 + broken + good
    repaired, text_map = repair_mojibake(text)
    assert repaired == good * 5 + "She didn’t know “why”.\n" + good * 5 + "She didn’t know “why”.\n" + good
    tail = repaired.rindex("It’s")
    assert text_map.to_source(tail) == text.rindex("It’s")
    assert text[text_map.to_source(repaired.index("know"))] == "k"


def test_repair_of_a_long_flattened_line_maps_offsets():
    sentence = "The lamps went out one by one, and nobody minded. "
    source = sentence * 200 + "Then Iâ€™m told itâ€™s over. " + sentence * 200
    assert "\n" not in source and len(source) > 10_000
    decoded = decode(source.encode("utf-8"))
    assert "Then I’m told it’s over." in decoded.text
    assert_map_is_consistent(decoded)
    last = decoded.text.rindex("nobody")
    assert decoded.text_map.to_source(last) == source.rindex("nobody")


def test_repair_returns_the_same_object_when_nothing_changes():
    text = "Plain “text” with nothing broken.\n" * 10
    repaired, text_map = repair_mojibake(text)
    assert repaired is text and text_map.is_identity()


# --- titles and works ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Title: The Lamplighter\nAuthor: someone\n\nStory.", "The Lamplighter"),
        ("Title: The Lamplighter Author: someone Rating: Teen Summary: x Work Text: Story.", "The Lamplighter"),
        ("The Lamplighter\n\nStory begins here.", None),
        ("She said the title: none at all.\n", None),
    ],
)
def test_leading_title(text, title):
    assert leading_title(text) == title


def test_leading_title_of_an_ao3_pasted_page():
    text = (
        "Rating:\n    General Audiences\nFandom:\n    Original Work\nCharacters:\n    Pell\n"
        "Stats:\n    Published:\n    2021-03-04\nThe Quiet Lamp\nsomeauthor\nSummary:\n\nA summary.\n\nWork Text:\n\nStory.\n"
    )
    assert leading_title(text) == "The Quiet Lamp"


def _without_fanficfare(monkeypatch):
    monkeypatch.setitem(sys.modules, "ficlens.read.fanficfare", None)  # import raises ImportError
    monkeypatch.delattr(read_package, "fanficfare", raising=False)


def test_read_text_bytes_builds_a_work(monkeypatch):
    _without_fanficfare(monkeypatch)
    data = "Title: Harbour Lights\n\nThe boats came home late.\n\nA/N: thanks!\n".encode("utf-8")
    work = read_text_bytes(data, source="harbour.txt", work_id="harbour")
    assert isinstance(work, Work)
    assert (work.id, work.source, work.format, work.title) == ("harbour", "harbour.txt", "text", "Harbour Lights")
    assert [(p.kind, work.part_text(p)) for p in work.parts] == [
        (BODY, "The boats came home late."),
        (END_NOTES, "thanks!"),
    ]
    assert work.source_text is None and work.text_map.is_identity()


def test_read_text_bytes_keeps_repair_map(monkeypatch):
    _without_fanficfare(monkeypatch)
    work = read_text_bytes("Iâ€™m home now.\n".encode("utf-8"), source="s.txt", work_id="s")
    assert work.text == "I’m home now.\n"
    assert work.source_text == "Iâ€™m home now.\n"
    assert work.text_map.to_source(work.text.index("home")) == work.source_text.index("home")


def test_read_text_bytes_hands_fanficfare_output_to_its_parser(monkeypatch):
    calls = []

    def parse(text, *, source, work_id):
        calls.append((text, source, work_id))
        return Work(id=work_id, text=text, source=source, format="fanficfare")

    fake = types.ModuleType("ficlens.read.fanficfare")
    fake.looks_like_fanficfare_text = lambda text: text.startswith("FAKE-FFF")
    fake.parse_fanficfare_text = parse
    monkeypatch.setitem(sys.modules, "ficlens.read.fanficfare", fake)
    monkeypatch.setattr(read_package, "fanficfare", fake, raising=False)

    work = read_text_bytes("FAKE-FFF Iâ€™m here".encode("utf-8"), source="f.txt", work_id="f")
    assert work.format == "fanficfare"
    assert calls == [("FAKE-FFF I’m here", "f.txt", "f")]
    assert work.source_text == "FAKE-FFF Iâ€™m here"  # the decoding is carried over
    plain = read_text_bytes(b"Just a story.", source="p.txt", work_id="p")
    assert plain.format == "text" and len(calls) == 1


def test_read_dispatcher_reads_a_text_file(tmp_path, monkeypatch):
    _without_fanficfare(monkeypatch)
    path = tmp_path / "My Story.txt"
    path.write_bytes("Chapter 1\n\nIt began.\n\nChapter 2\n\nIt ended.\n".encode("cp1252"))
    work = read_package.read(path)
    assert work.id == "my-story"
    assert [(p.chapter, p.title, work.part_text(p)) for p in work.parts] == [
        (1, "Chapter 1", "It began."),
        (2, "Chapter 2", "It ended."),
    ]
