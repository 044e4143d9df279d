"""Fuzzing the readers: damaged real files of every format must read as `Work`s or clean failures.

A corpus of thousands of files holds every kind of damage: truncated downloads, flipped bits,
files re-saved in another encoding, archives inside archives, a story pasted into the wrong
JSON. Each property here starts from a real file of one format ficlens reads (the examples, the
test fixtures, EPUBs built the way calibre and FanFicFare build them), damages it, and reads
it. Reading may yield `Work`s and `ReadFailure`s or raise a `FiclensError` -- anything else is
a bug -- and every `Work` must be self-consistent, because everything downstream slices its
text by the part offsets.

Mutations are structure-aware where bytes alone would only ever hit a checksum: a zip (or
EPUB) is opened, one member is damaged, and the archive is written again.

CI runs a short, deterministic pass (profile "ci"). `make fuzz` runs the same properties with
many more random examples: `FICLENS_FUZZ=long` selects the "long" profile and
`FICLENS_FUZZ_EXAMPLES` sets how many examples each property gets.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import warnings
import zipfile
from pathlib import Path

from epub_builder import XHTML_HEAD, ao3_epub_from_html, build_epub, fanficfare_epub
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficlens import segment
from ficlens.errors import FiclensError
from ficlens.model import PART_KINDS, Part, Work
from ficlens.read import ReadFailure, iter_works, read_bytes
from ficlens.read.limits import ReadLimits
from ficlens.read.text import iter_file_parts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,  # the same examples on every run: CI never goes red by luck
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("FICLENS_FUZZ_EXAMPLES", "5000")),
    derandomize=False,
    deadline=None,  # the default database (.hypothesis/) keeps what a long run found, to replay it
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Applied per test rather than loaded globally, so the other test modules keep their settings.
FUZZ = settings.get_profile(os.environ.get("FICLENS_FUZZ", "ci"))

# Small limits, so that the size checks are reached by small inputs too.
LIMITS = ReadLimits(
    max_file_bytes=2_000_000,
    max_member_bytes=400_000,
    max_archive_bytes=1_000_000,
    max_archive_members=50,
    max_jsonl_line_bytes=200_000,
)


# --- seeds: one real file of each format ficlens reads ----------------------------------------


def _zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _generic_epub() -> bytes:
    docs = [
        (
            "OEBPS/one.xhtml",
            XHTML_HEAD.format(title="One", body="<h2>The First</h2><p>Alpha paragraph.</p><p>Beta.</p>"),
        ),
        ("OEBPS/two.xhtml", XHTML_HEAD.format(title="Two", body="<h2>The Second</h2><p>“Gamma,” said Delta.</p>")),
    ]
    return build_epub(docs, title="A Book", creators=["Someone"], opf_path="OEBPS/content.opf")


def _seeds() -> list[tuple[str, bytes]]:
    lighthouse = (EXAMPLES / "the-lighthouse-keeper.txt").read_text(encoding="utf-8")
    letters = (EXAMPLES / "letters-from-the-front.txt").read_text(encoding="utf-8")
    ao3_html = (EXAMPLES / "pride-and-prejudice-ch1-3.html").read_bytes()
    ao3_epub = ao3_epub_from_html(ao3_html.decode("utf-8"))
    fff_epub = fanficfare_epub(
        FIXTURES / "fanficfare" / "epub",
        title="The Clockwork Heart",
        creators=["quillfeather", "tinkerwren"],
        story_url="https://archiveofourown.org/works/9990001",
    )
    jsonl = "\n".join(
        json.dumps(record, ensure_ascii=ascii_only)
        for record, ascii_only in (
            (
                {
                    "id": "w1",
                    "text": letters[:1500],
                    "title": "Letters",
                    "author": "A. Writer",
                    "rating": "Mature",
                    "fandoms": ["Original Work"],
                    "tags": "Angst, War",
                    "url": "https://example.org/1",
                },
                False,
            ),
            ({"text": lighthouse[:1200], "relationships": "A/B", "language": "English"}, True),
        )
    ).encode("utf-8")
    seeds = [
        ("the-lighthouse-keeper.txt", lighthouse.encode("utf-8")),
        ("letters-from-the-front.txt", letters.encode("utf-16")),  # Notepad's UTF-16 with a BOM
        ("letters-le.txt", letters[:2000].encode("utf-16-le")),  # UTF-16 without a BOM
        (
            "starlight-and-static.txt",
            (EXAMPLES / "starlight-and-static.txt").read_text(encoding="utf-8").encode("cp1252", "replace"),
        ),
        ("mojibake.txt", lighthouse[:2000].encode("utf-8").decode("cp1252", "replace").encode("utf-8")),
        ("pride-and-prejudice-ch1-3.html", ao3_html),
        ("generic.html", (FIXTURES / "html" / "generic.html").read_bytes()),
        ("ao3_single_chapter.html", (FIXTURES / "html" / "ao3_single_chapter.html").read_bytes()),
        ("story.html", (FIXTURES / "fanficfare" / "story.html").read_bytes()),
        ("story.txt", (FIXTURES / "fanficfare" / "story.txt").read_bytes()),
        ("Pride_and_Prejudice.epub", ao3_epub),
        ("clockwork.epub", fff_epub),
        ("book.epub", _generic_epub()),
        ("works.jsonl", jsonl),
        (
            "bundle.zip",
            _zip(
                [
                    ("one.txt", lighthouse[:3000].encode("utf-8")),
                    ("dir/story.html", (FIXTURES / "fanficfare" / "story.html").read_bytes()),
                ]
            ),
        ),
        ("epubs.zip", _zip([("a.epub", fff_epub), ("b.epub", _generic_epub())], zipfile.ZIP_STORED)),
        ("nested.zip", _zip([("inner.zip", _zip([("x.txt", letters[:800].encode("utf-8"))])), ("y.jsonl", jsonl)])),
    ]
    seeds += [(path.name, path.read_bytes()) for path in sorted((FIXTURES / "text").glob("*.txt"))]
    return seeds


SEEDS = _seeds()
SEED_BYTES = [data for _, data in SEEDS]

# Byte strings that steer a reader down its rarer paths when spliced in: labels, headings,
# markup ficlens keys on, encoding marks, magic numbers, entities that decode to nothing sane.
TOKENS = [
    b"Chapter 2\n",
    b"\nChapter 99: The End\n",
    b"Summary:",
    b"Notes:",
    b"End Notes",
    b"Work Text:",
    b"A/N:",
    b"\n\n",
    b"\r\n",
    b"\r",
    b"\x00",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\x1a",
    b"\x0c",
    b"\xe2\x80",
    b"\xc3",
    b"\x80\x81\x8d",
    b"\xed\xa0\x80",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"%PDF-",
    b"{",
    b"}",
    b'{"text": "x"}\n',
    b'"text"',
    b"<",
    b">",
    b"</div>",
    b"<div>",
    b'<div class="chapter">',
    b'<div id="chapters" class="userstuff">',
    b'<dl class="tags">',
    b"<dt>Rating:</dt><dd>Explicit</dd>",
    b'<div class="meta group">',
    b'<h2 class="heading">',
    b'<div id="preface">',
    b'<div id="afterword">',
    b'<p class="message">',
    b"<br/>",
    b"<pre>",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?xml version='1.0'?>",
    b"&#0;",
    b"&#xD800;",
    b"&#x110000;",
    b"&amp;",
    b"&nbsp;",
    b'<rootfile full-path="../../etc/passwd"/>',
    b'<itemref idref="html0"/>',
    b'<item id="x" href="%00"/>',
    b"\\ud800",
    b"\\udfff x \\ud83d",
    b"\\u0000",
    b"\xe2\x80\x9c",
    b"\xe2\x80\x9d",
    b"\xe2\x80\xa8",
    b"\xc2\x85",
    b"\xef\xbf\xbd",
]
NAMES = ["x.txt", "x.html", "x.htm", "x.xhtml", "x.epub", "x.zip", "x.jsonl", "x.json", "x", "README"]


# --- mutations -------------------------------------------------------------------------------


def _open_zip(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    """The members of `data` if it is a zip Python can read whole, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info, archive.read(info)) for info in archive.infolist()]
    except Exception:  # noqa: BLE001  (any damage just means "not a zip we can rewrite")
        return None


def _rezip(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # "Duplicate name": a doubled member is the point
        for info, data in members:
            archive.writestr(info, data, compress_type=info.compress_type)
    return buffer.getvalue()


def position(size: int) -> st.SearchStrategy[int]:
    """An offset into `size` bytes: spread over the whole file, not only near its start
    (where Hypothesis's small-number bias would put nearly every damage)."""
    return st.one_of(st.integers(0, size), st.integers(0, 2**32 - 1).map(lambda k: k % (size + 1)))


@st.composite
def byte_mutation(draw, data: bytes) -> bytes:
    """One damage to a byte string, of the kinds files really suffer."""
    size = len(data)
    kind = draw(
        st.sampled_from(
            ["truncate", "flip", "insert", "token", "delete", "duplicate", "splice", "tag", "tag", "reencode"]
        )
    )
    at = draw(position(size))
    if kind == "tag":
        return draw(tag_mutation(data))
    if kind == "truncate":
        return data[: max(at, 1)]  # an empty file is one case, not a quarter of them
    if kind == "flip":
        if not size:
            return data
        at = min(at, size - 1)
        return data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1 :]
    if kind == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if kind == "token":
        return data[:at] + draw(st.sampled_from(TOKENS)) + data[at:]
    if kind == "delete":
        return data[:at] + data[at + draw(st.integers(1, max(1, size // 4))) :]
    if kind == "duplicate":
        end = draw(st.integers(at, min(size, at + 4096)))
        where = draw(position(size))
        return data[:where] + data[at:end] + data[where:]
    if kind == "splice":
        other = draw(st.sampled_from(SEED_BYTES))
        start = draw(st.integers(0, len(other)))
        return data[:at] + other[start : start + draw(st.integers(1, 2048))] + data[at:]
    # reencode: the text re-saved by an editor that guessed the encoding wrong, or right
    text = data.decode(draw(st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16"])), "replace")
    encoding = draw(
        st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1"])
    )
    return text.encode(encoding, "replace")


_MARKUP_TAG = re.compile(rb"<[^<>]{0,300}>")


@st.composite
def tag_mutation(draw, data: bytes) -> bytes:
    """Markup damaged a whole tag at a time: dropped, doubled, moved, or swapped for another.

    Byte damage mostly breaks a tag into text; whole-tag damage instead reaches the layout
    logic (an AO3 page whose chapter div never closes, a heading moved into the notes).
    """
    tags = list(_MARKUP_TAG.finditer(data[:200_000]))
    if not tags:
        return data
    tag = tags[draw(st.integers(0, 2**32 - 1)) % len(tags)]
    other = tags[draw(st.integers(0, 2**32 - 1)) % len(tags)]
    kind = draw(st.sampled_from(["drop", "double", "move", "swap"]))
    before, after = data[: tag.start()], data[tag.end() :]
    if kind == "drop":
        return before + after
    if kind == "double":
        return before + tag.group() + tag.group() + after
    if kind == "swap":
        return before + other.group() + after
    where = other.start()  # move: drop it here, put it before another tag
    moved = data[: tag.start()] + data[tag.end() :]
    where = where if where < tag.start() else where - len(tag.group())
    return moved[:where] + tag.group() + moved[where:]


@st.composite
def archive_mutation(draw, data: bytes) -> bytes:
    """Damage inside a zip/EPUB that still opens: one member damaged, dropped, doubled or renamed."""
    members = _open_zip(data)
    if not members:
        return draw(byte_mutation(data))
    index = draw(st.integers(0, len(members) - 1))
    info, content = members[index]
    kind = draw(st.sampled_from(["member", "member", "member", "drop", "double", "rename", "store"]))
    if kind == "member":
        for _ in range(draw(st.integers(1, 3))):
            content = draw(byte_mutation(content))
        members[index] = (info, content)
    elif kind == "drop":
        del members[index]
    elif kind == "double":
        members.insert(draw(st.integers(0, len(members))), (info, content))
    elif kind == "rename":
        renamed = zipfile.ZipInfo(
            draw(st.sampled_from(["", "/", "a/../../b.txt", "mimetype", "x.zip", "y.epub", ".hidden", "__MACOSX/z"]))
            or "z",
            info.date_time,
        )
        renamed.compress_type = info.compress_type
        members[index] = (renamed, content)
    else:
        stored = zipfile.ZipInfo(info.filename, info.date_time)
        stored.compress_type = zipfile.ZIP_STORED
        members[index] = (stored, content)
    return _rezip(members)


@st.composite
def nesting(draw, data: bytes) -> bytes:
    """`data` wrapped in another container: a zip (of several), or a JSONL record."""
    kind = draw(st.sampled_from(["zip", "zip", "jsonl"]))
    if kind == "zip":
        name = draw(st.sampled_from(NAMES))
        members = [(name, data)] + [
            (f"other{i}{NAMES[i % len(NAMES)][1:]}", other)
            for i, other in enumerate(draw(st.lists(st.sampled_from(SEED_BYTES), max_size=2)))
        ]
        return _zip(members)
    text = data.decode("utf-8", "replace")
    return (json.dumps({"text": text, "title": text[:40]}) + "\n").encode("utf-8")


@st.composite
def damaged_file(draw) -> tuple[str, bytes]:
    """A seed file, perhaps renamed, with one to four kinds of damage."""
    name, data = draw(st.sampled_from(SEEDS))
    if draw(st.integers(0, 4)) == 0:
        name = draw(st.sampled_from(NAMES))  # scraped dumps are often misnamed
    for _ in range(draw(st.integers(1, 4))):
        step = draw(st.sampled_from(["bytes", "bytes", "archive", "archive", "nest"]))
        if step == "bytes":
            data = draw(byte_mutation(data))
        elif step == "archive":
            data = draw(archive_mutation(data))
        else:
            data = draw(nesting(data))
        if len(data) > 1_500_000:
            break
    return name, data


# --- what every reading must satisfy -----------------------------------------------------------


def check_error(error: BaseException) -> None:
    assert isinstance(error, FiclensError), f"not a FiclensError: {error!r}"
    assert isinstance(error.message, str) and error.message.strip(), "an error without a message"
    assert "\n" not in error.message, f"a message of several lines: {error.message!r}"


def check_parts(parts: list[Part], length: int) -> None:
    previous_end = 0
    for part in parts:
        assert isinstance(part, Part)
        assert part.kind in PART_KINDS, part
        assert 0 <= part.start < part.end <= length, (part, length)
        assert part.start >= previous_end, f"parts overlap or are out of order: {parts}"
        assert part.chapter is None or (isinstance(part.chapter, int) and part.chapter >= 1), part
        assert part.title is None or isinstance(part.title, str), part
        previous_end = part.end


def check_work(work: Work) -> None:
    assert isinstance(work, Work)
    assert isinstance(work.id, str) and work.id
    assert isinstance(work.text, str) and work.text.strip()
    check_parts(work.parts, len(work.text))
    assert work.title is None or isinstance(work.title, str)
    assert work.language is None or isinstance(work.language, str)
    assert all(isinstance(author, str) for author in work.authors)
    for value in vars(work.author_tags).values():
        assert value is None or isinstance(value, (str, list, dict))
        if isinstance(value, list):
            assert all(isinstance(v, str) for v in value)
    # Profiles, the corpus store and stdout all need UTF-8: no lone surrogates anywhere.
    json.dumps([work.text, work.title, work.authors, work.metadata, vars(work.author_tags)], ensure_ascii=False).encode(
        "utf-8"
    )
    if work.source_text is None:
        assert work.text_map.is_identity()
    else:
        anchors = work.text_map.anchors
        assert anchors == sorted(anchors)
        assert all(0 <= r <= len(work.text) and 0 <= s <= len(work.source_text) for r, s in anchors)
        for part in work.parts:
            start, end = work.text_map.to_source(part.start), work.text_map.to_source(part.end)
            assert 0 <= start <= end <= len(work.source_text), (part, start, end, len(work.source_text))


def check_items(items) -> list[Work]:
    """Drain a reader's iterator, checking each item; a raised FiclensError is a clean end."""
    works = []
    try:
        for item in items:
            if isinstance(item, ReadFailure):
                assert isinstance(item.source, str)
                check_error(item.error)
            else:
                check_work(item)
                works.append(item)
    except FiclensError as exc:
        check_error(exc)
    return works


# --- properties ------------------------------------------------------------------------------


def test_every_seed_reads_cleanly():
    """The undamaged seeds read as works (else the fuzzing starts from nothing useful)."""
    for name, data in SEEDS:
        works = check_items(read_bytes(data, name=name, source=name, work_id="w", limits=LIMITS))
        assert works, name


@FUZZ
@given(damaged_file())
def test_damaged_file_reads_as_works_or_clean_failures(file):
    name, data = file
    check_items(read_bytes(data, name=name, source=name, work_id="w", limits=LIMITS))


SIDECAR = (FIXTURES / "fanficfare" / "story.json").read_bytes()


@FUZZ
@given(damaged_file(), st.booleans(), st.one_of(st.none(), st.just(SIDECAR), byte_mutation(SIDECAR)))
def test_damaged_file_on_disk_reads_through_iter_works(file, in_directory, sidecar):
    """The same through the file system: directory walk, a (damaged) sidecar JSON, unique ids."""
    name, data = file
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "works"
        folder.mkdir()
        path = folder / ("story" + (Path(name).suffix or ".txt"))
        path.write_bytes(data)
        if sidecar is not None:
            path.with_suffix(".json").write_bytes(sidecar)
        works = check_items(iter_works(folder if in_directory else path, LIMITS))
        ids = [work.id for work in works]
        assert len(ids) == len(set(ids)), ids


@FUZZ
@given(damaged_file())
def test_damaged_text_streams_in_parts(file):
    """The streaming reader for huge text files (`iter_file_parts`) fails cleanly too."""
    _, data = file
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "story.txt"
        path.write_bytes(data)
        try:
            parts = list(iter_file_parts(path, block_bytes=512))
        except FiclensError as exc:
            check_error(exc)
            return
        check_parts(parts, max((p.end for p in parts), default=0))


_TEXT_PIECES = st.sampled_from(
    [t.decode("utf-8", "replace") for t in TOKENS]
    + [
        "Chapter One",
        "CHAPTER IV.",
        "Prologue",
        "Epilogue 2",
        "Part 3 - Coda",
        "1.",
        "IV.",
        "* * *",
        "~~~",
        "Title: X",
        "Author: Y",
        "Rating: Teen",
        "Summary: A tale.",
        "Author's Note:",
        "(See the end of the chapter for more notes.)",
        "Chapter Text",
        "Chapter End Notes",
        "Afterword",
        "Disclaimer:",
        "“",
        "”",
        " ",
        "\t",
        "\n",
        "\u2028",
        "\x85",
        "\x0b",
    ]
)


@FUZZ
@given(st.lists(st.one_of(_TEXT_PIECES, st.text(max_size=30)), max_size=60))
def test_segment_split_parts_is_consistent(pieces):
    """Plain-text segmentation on label soup: parts valid, and streaming agrees with whole-text."""
    text = "".join(pieces)
    parts = segment.split_parts(text)
    check_parts(parts, len(text))
    assert list(segment.iter_parts(text.splitlines(True))) == parts


# --- what the fuzzing found, kept as plain regression tests ------------------------------------


def test_zip_of_stored_epubs_is_a_zip_not_an_epub():
    """A zip of EPUBs made with `zip -0` shows the first EPUB's mimetype in its first bytes."""
    data = dict(SEEDS)["epubs.zip"]
    assert b"application/epub+zip" in data[:200]
    works = check_items(read_bytes(data, name="epubs.zip", source="epubs.zip", work_id="w", limits=LIMITS))
    assert [w.format for w in works] == ["fanficfare-epub", "epub"]


def test_zip_member_with_a_corrupt_deflate_stream_is_a_clean_failure():
    data = bytearray(_zip([("a.txt", b"She said nothing for a long time. " * 200), ("b.txt", b"Short and plain.")]))
    header_end = 30 + len("a.txt")
    data[header_end : header_end + 8] = b"\xff" * 8  # garbage where the deflate stream starts
    items = list(read_bytes(bytes(data), name="x.zip", source="x.zip", work_id="w", limits=LIMITS))
    failures = [item for item in items if isinstance(item, ReadFailure)]
    assert [f.source for f in failures] == ["x.zip!a.txt"]
    assert "cannot extract" in failures[0].message
    assert [w.text for w in items if isinstance(w, Work)] == ["Short and plain."]


def test_text_of_control_characters_only_is_a_clean_failure():
    """The mojibake repair removes C0 controls; a file of nothing else must not become an empty work."""
    for data in (b"\x14", b"\x14\x15 \n\x16", "\x14\u2028".encode("utf-8")):
        works = check_items(read_bytes(data, name="x.txt", source="x.txt", work_id="w", limits=LIMITS))
        assert works == [], data


def test_jsonl_lone_surrogate_escapes_become_replacement_characters():
    """ "\\ud800" is valid JSON but no character: kept, the work could never be stored or printed."""
    data = b'{"text": "Hi \\ud800 there \\ud83d\\ude00", "title": "\\udc00", "tags": ["a\\udbff"]}\n'
    (work,) = check_items(read_bytes(data, name="x.jsonl", source="x.jsonl", work_id="w", limits=LIMITS))
    assert work.text == "Hi \ufffd there \U0001f600"
    assert work.title == "\ufffd" and work.author_tags.additional == ["a\ufffd"]
