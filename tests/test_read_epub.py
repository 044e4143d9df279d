"""EPUB reader: calibre-made AO3 EPUBs, FanFicFare EPUBs, generic EPUBs, corrupt files and zip bombs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from epub_builder import XHTML_HEAD, ao3_epub_from_html, build_epub, fanficfare_epub
from ficlens.errors import InputTooLarge, UnreadableInput
from ficlens.model import BODY
from ficlens.read.epub import read_epub
from ficlens.read.html import read_html
from ficlens.read.limits import ReadLimits
from test_read_html import CLOCKWORK_PARTS, EXAMPLE, check_ao3_example

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIMITS = ReadLimits()


def read(data: bytes, limits: ReadLimits = LIMITS):
    return read_epub(data, source="test.epub", work_id="w", limits=limits)


@pytest.fixture(scope="module")
def ao3_epub() -> bytes:
    return ao3_epub_from_html(EXAMPLE.read_text(encoding="utf-8"))


def test_builder_mimics_calibre_split(ao3_epub):
    names = zipfile.ZipFile(io.BytesIO(ao3_epub)).namelist()
    assert names[0] == "mimetype"
    assert "content.opf" in names
    splits = sorted(n for n in names if "_split_" in n)
    assert len(splits) == 5  # preface, three chapters, afterword
    first = zipfile.ZipFile(io.BytesIO(ao3_epub)).read(splits[0]).decode("utf-8")
    assert 'class="tags' in first and "Chapter 1" not in first


def test_ao3_epub_metadata_and_parts(ao3_epub):
    check_ao3_example(read(ao3_epub), "ao3-epub")


def test_ao3_epub_reads_like_the_html_download(ao3_epub):
    epub_work = read(ao3_epub)
    html_work = read_html(EXAMPLE.read_bytes(), source="x", work_id="w")
    assert epub_work.text == html_work.text
    assert epub_work.parts == html_work.parts


def test_fanficfare_epub():
    data = fanficfare_epub(
        FIXTURES / "fanficfare" / "epub",
        title="The Clockwork Heart",
        creators=["quillfeather", "tinkerwren"],
        story_url="https://archiveofourown.org/works/9990001",
    )
    work = read(data)
    assert work.format == "fanficfare-epub"
    assert work.title == "The Clockwork Heart"
    assert work.authors == ["quillfeather", "tinkerwren"]
    assert work.language == "English"
    assert work.metadata["url"] == "https://archiveofourown.org/works/9990001"
    assert work.metadata["updated"] == "2023-04-02"
    assert work.author_tags.fandoms == ["Sherlock Holmes - Arthur Conan Doyle"]
    assert work.author_tags.categories == ["Gen"]
    assert work.author_tags.warnings == ["No Archive Warnings Apply"]
    assert work.author_tags.series == ["Clockwork Cases"]
    assert [(p.kind, p.chapter, p.title) for p in work.parts] == CLOCKWORK_PARTS
    bodies = [work.part_text(p) for p in work.parts if p.kind == BODY]
    assert bodies[0].startswith("The parcel sat on the table")
    assert bodies[1].endswith("“Then someone will come back for it.”")
    assert "Table of Contents" not in work.text
    fff_html = read_html((FIXTURES / "fanficfare" / "story.html").read_bytes(), source="x", work_id="w")
    assert work.text == fff_html.text


def test_generic_epub_gives_one_body_per_spine_document():
    docs = [
        (
            "OEBPS/one.xhtml",
            XHTML_HEAD.format(title="One", body="<h2>The First</h2><p>Alpha paragraph.</p><p>Beta.</p>"),
        ),
        ("OEBPS/two.xhtml", XHTML_HEAD.format(title="Two", body="<h2>The Second</h2><p>Gamma — delta.</p>")),
    ]
    work = read(build_epub(docs, title="A Book", creators=["Someone"], opf_path="OEBPS/content.opf"))
    assert work.format == "epub"
    assert work.title == "A Book"
    assert work.authors == ["Someone"]
    assert work.language == "en"
    assert [(p.kind, p.chapter, p.title) for p in work.parts] == [(BODY, 1, "The First"), (BODY, 2, "The Second")]
    assert work.part_text(work.parts[0]) == "Alpha paragraph.\n\nBeta."
    assert work.part_text(work.parts[1]) == "Gamma — delta."


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is not really a zip archive",
        b"",
        b"plain text",
    ],
)
def test_corrupt_epub_is_unreadable(data):
    with pytest.raises(UnreadableInput) as info:
        read(data)
    assert not isinstance(info.value, InputTooLarge)
    assert "\n" not in str(info.value)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_epub_without_container_is_unreadable():
    with pytest.raises(UnreadableInput, match="container.xml"):
        read(_zip({"mimetype": b"application/epub+zip", "OEBPS/a.xhtml": b"<p>x</p>"}))


def test_epub_with_missing_opf_is_unreadable():
    container = b"""<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
    <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"""
    with pytest.raises(UnreadableInput, match="OEBPS/content.opf"):
        read(_zip({"mimetype": b"application/epub+zip", "META-INF/container.xml": container}))


def test_truncated_epub_is_unreadable(ao3_epub):
    with pytest.raises(UnreadableInput):
        read(ao3_epub[: len(ao3_epub) // 2])


def test_zip_bomb_member_is_rejected(tmp_path):
    docs = [("text.xhtml", XHTML_HEAD.format(title="t", body="<p>Hello.</p>"))]
    data = _replace_member(
        build_epub(docs, title="Bomb", creators=["x"]), "text.xhtml", b"<p>" + b"\0" * 40_000_000 + b"</p>"
    )
    bomb = tmp_path / "bomb.epub"
    bomb.write_bytes(data)
    assert bomb.stat().st_size < 200_000  # tens of MB of zeros squeezed into a few KB
    with pytest.raises(InputTooLarge, match="zip bomb"):
        read(bomb.read_bytes())


def _replace_member(epub: bytes, name: str, payload: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(epub))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, payload if info.filename == name else source.read(info))
    return buffer.getvalue()


def test_member_over_the_size_limit_is_rejected():
    docs = [("text.xhtml", XHTML_HEAD.format(title="t", body="<p>" + "word " * 5000 + "</p>"))]
    with pytest.raises(InputTooLarge, match="limit"):
        read(build_epub(docs, title="Big", creators=["x"]), ReadLimits(max_member_bytes=10_000))


def test_archive_total_over_the_limit_is_rejected():
    docs = [(f"t{i}.xhtml", XHTML_HEAD.format(title="t", body="<p>" + "word " * 500 + "</p>")) for i in range(5)]
    with pytest.raises(InputTooLarge):
        read(build_epub(docs, title="Big", creators=["x"]), ReadLimits(max_archive_bytes=8_000))


def test_declared_size_is_not_trusted():
    """A member that lies about its size is stopped by what it inflates to, not by what it declares."""
    docs = [("text.xhtml", XHTML_HEAD.format(title="t", body="<p>Hello.</p>"))]
    data = _replace_member(build_epub(docs, title="Liar", creators=["x"]), "text.xhtml", b"\0" * 3_000_000)
    # rewrite the declared uncompressed size of text.xhtml (local header and central directory) to 100 bytes
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("text.xhtml")
    patched = bytearray(data)
    true_size = info.file_size.to_bytes(4, "little")
    patched_count = 0
    start = 0
    while (index := patched.find(true_size, start)) != -1:
        patched[index : index + 4] = (100).to_bytes(4, "little")
        patched_count += 1
        start = index + 4
    assert patched_count >= 2
    with pytest.raises(UnreadableInput):  # InputTooLarge is one; a CRC/size mismatch is the other
        read(bytes(patched))
