"""Reading EPUB files: AO3 downloads (made by calibre), FanFicFare EPUBs, and any other EPUB.

An EPUB is a zip: META-INF/container.xml names the OPF package file, whose spine orders the
XHTML documents. The zip comes from strangers, so every member is read through `_SafeZip`,
which enforces `ReadLimits` on the bytes actually inflated rather than on the sizes the archive
declares (a zip bomb can declare anything).
"""

from __future__ import annotations

import io
import logging
import posixpath
import zipfile
from dataclasses import dataclass, field
from urllib.parse import unquote
from typing import Any

from bs4 import BeautifulSoup
from lxml import etree

from ..errors import InputTooLarge, UnreadableInput
from ..model import BODY, Work
from . import ao3, fanficfare
from .archive import ZIP_ERRORS
from .html import TextBuilder, blocks_of, parse_markup, text_of
from .limits import ReadLimits

__all__ = ["read_epub"]

log = logging.getLogger(__name__)

_RATIO_CHECK_FROM = 1_000_000  # members smaller than this may compress as well as they like
_CHUNK = 64 * 1024
_HTML_TYPES = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml")
_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}


@dataclass
class _SafeZip:
    """Reads zip members within `ReadLimits`, counting inflated bytes across the archive."""

    archive: zipfile.ZipFile
    limits: ReadLimits
    total: int = 0
    names: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    @classmethod
    def open(cls, data: bytes, limits: ReadLimits) -> "_SafeZip":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
        except ZIP_ERRORS as exc:
            raise UnreadableInput(f"corrupt EPUB (not a readable zip): {exc}") from None
        if len(infos) > limits.max_archive_members:
            raise InputTooLarge(f"EPUB holds {len(infos)} files, over the limit of {limits.max_archive_members}")
        declared = sum(info.file_size for info in infos)
        if declared > limits.max_archive_bytes:
            raise InputTooLarge(
                f"EPUB unpacks to {declared / 1e6:.0f} MB, over the {limits.max_archive_bytes / 1e6:.0f} MB limit"
            )
        return cls(archive=archive, limits=limits, names={info.filename: info for info in infos})

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        info = self.names.get(name)
        if info is None:
            raise UnreadableInput(f"EPUB is missing {name}")
        limit = self.limits.max_member_bytes
        if info.file_size > limit:
            raise InputTooLarge(
                f"EPUB member {name} is {info.file_size / 1e6:.0f} MB, over the {limit / 1e6:.0f} MB limit"
            )
        self._check_ratio(name, info.file_size, info.compress_size)
        out = bytearray()
        try:
            with self.archive.open(info) as member:
                while True:
                    chunk = member.read(min(_CHUNK, limit + 1 - len(out)))
                    if not chunk:
                        break
                    out.extend(chunk)
                    if len(out) > limit:
                        raise InputTooLarge(f"EPUB member {name} unpacks past the {limit / 1e6:.0f} MB limit")
                    self._check_ratio(name, len(out), info.compress_size)
                    if self.total + len(out) > self.limits.max_archive_bytes:
                        raise InputTooLarge(
                            f"EPUB unpacks past the {self.limits.max_archive_bytes / 1e6:.0f} MB archive limit"
                        )
        except ZIP_ERRORS as exc:
            raise UnreadableInput(f"corrupt EPUB member {name}: {exc}") from None
        self.total += len(out)
        return bytes(out)

    def _check_ratio(self, name: str, size: int, compressed: int) -> None:
        if size <= _RATIO_CHECK_FROM:
            return
        ratio = size / max(compressed, 1)
        if ratio > self.limits.max_compression_ratio:
            raise InputTooLarge(
                f"EPUB member {name} inflates {ratio:.0f}:1, over the {self.limits.max_compression_ratio:.0f}:1 limit (zip bomb?)"
            )


def _xml(data: bytes, what: str) -> etree._Element:
    # No entity expansion, no network, no DTDs: container.xml and the OPF are untrusted XML.
    # A parser per call, because lxml parsers must not be shared between threads.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableInput(f"corrupt EPUB: unreadable {what}: {exc}") from None
    if root is None:
        raise UnreadableInput(f"corrupt EPUB: empty {what}")
    return root


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _opf_path(archive: _SafeZip) -> str:
    if not archive.has("META-INF/container.xml"):
        raise UnreadableInput("not an EPUB: META-INF/container.xml is missing")
    root = _xml(archive.read("META-INF/container.xml"), "META-INF/container.xml")
    for element in root.iter():
        if _local(element.tag) == "rootfile" and element.get("full-path"):
            return str(element.get("full-path"))
    raise UnreadableInput("not an EPUB: container.xml names no OPF package file")


def _opf_metadata(root: etree._Element) -> dict[str, Any]:
    meta: dict[str, Any] = {"creators": [], "contributors": [], "identifiers": [], "subjects": [], "dates": {}}
    for element in root.iter():
        name = _local(element.tag)
        text = (element.text or "").strip()
        if not text and name != "meta":
            continue
        if name == "title" and "title" not in meta:
            meta["title"] = text
        elif name == "creator":
            meta["creators"].append(text)
        elif name == "contributor":
            meta["contributors"].append(text)
        elif name == "identifier":
            meta["identifiers"].append(text)
        elif name == "language" and "language" not in meta:
            meta["language"] = text
        elif name == "source" and "source" not in meta:
            meta["source"] = text
        elif name == "description" and "description" not in meta:
            meta["description"] = text
        elif name == "subject":
            meta["subjects"].append(text)
        elif name == "publisher" and "publisher" not in meta:
            meta["publisher"] = text
        elif name == "date":
            event = next((v for k, v in element.attrib.items() if _local(k) == "event"), "date")
            meta["dates"].setdefault(event, text)
    return meta


def _resolve(base_dir: str, href: str) -> str:
    path = unquote(href.split("#", 1)[0])
    return posixpath.normpath(posixpath.join(base_dir, path)) if base_dir else posixpath.normpath(path)


def _spine_documents(archive: _SafeZip, opf_path: str, root: etree._Element) -> list[fanficfare.EpubDocument]:
    base_dir = posixpath.dirname(opf_path)
    manifest: dict[str, tuple[str, str]] = {}
    for element in root.iter():
        if _local(element.tag) == "item" and element.get("id") and element.get("href"):
            manifest[element.get("id")] = (_resolve(base_dir, element.get("href")), element.get("media-type") or "")
    documents: list[fanficfare.EpubDocument] = []
    for element in root.iter():
        if _local(element.tag) != "itemref" or element.get("linear") == "no":
            continue
        entry = manifest.get(element.get("idref") or "")
        if entry is None:
            continue
        href, media_type = entry
        if media_type and media_type not in _HTML_TYPES:
            continue
        if not archive.has(href):
            log.warning("EPUB spine names %s, which is not in the archive", href)
            continue
        documents.append(fanficfare.EpubDocument(href=href, soup=parse_markup(archive.read(href))))
    return documents


def _joined_bodies(documents: list[fanficfare.EpubDocument]) -> BeautifulSoup:
    """All spine documents as one HTML document, so AO3's layout reads as in the HTML download."""
    inner = []
    for doc in documents:
        body = doc.soup.body or doc.soup
        inner.append(body.decode_contents())
    return parse_markup("<html><body>" + "\n".join(inner) + "</body></html>")


def _generic_work(
    documents: list[fanficfare.EpubDocument], opf_meta: dict[str, Any], *, source: str, work_id: str
) -> Work:
    """Any EPUB: each spine document with text is one chapter body, titled by its first heading."""
    builder = TextBuilder()
    chapter = 0
    for doc in documents:
        body = doc.soup.body or doc.soup
        blocks = blocks_of(body)
        if not blocks:
            continue
        chapter += 1
        heading = body.find(["h1", "h2", "h3"])
        title = text_of(heading) or None
        if title and blocks[0] == title:
            builder.add_text([blocks.pop(0)])
        if blocks:
            builder.add_part(BODY, blocks, title=title, chapter=chapter)
    if not builder.parts:
        raise UnreadableInput("no readable text in this EPUB")
    return Work(
        id=work_id,
        text=builder.text,
        parts=builder.parts,
        source=source,
        format="epub",
        title=opf_meta.get("title"),
        authors=list(opf_meta.get("creators", [])),
        language=opf_meta.get("language"),
        metadata={k: v for k, v in (("url", opf_meta.get("source")),) if v},
    )


def read_epub(data: bytes, *, source: str, work_id: str, limits: ReadLimits) -> Work:
    """One work from an EPUB's bytes, whichever tool made it."""
    archive = _SafeZip.open(data, limits)
    opf_path = _opf_path(archive)
    if not archive.has(opf_path):
        raise UnreadableInput(f"not an EPUB: the OPF package file {opf_path} is missing")
    opf_root = _xml(archive.read(opf_path), opf_path)
    opf_meta = _opf_metadata(opf_root)
    documents = _spine_documents(archive, opf_path, opf_root)
    if not documents:
        raise UnreadableInput("EPUB spine holds no readable documents")

    if fanficfare.is_fanficfare_epub(documents, opf_meta):
        log.debug("%s: FanFicFare EPUB", source)
        return fanficfare.fanficfare_epub_work(documents, opf_meta, source=source, work_id=work_id)
    joined = _joined_bodies(documents)
    if ao3.looks_like_ao3(joined):
        log.debug("%s: AO3 EPUB", source)
        work = ao3.ao3_work(joined, source=source, work_id=work_id, fmt="ao3-epub")
        work.title = work.title or opf_meta.get("title")
        work.authors = work.authors or list(opf_meta.get("creators", []))
        work.language = work.language or opf_meta.get("language")
        return work
    return _generic_work(documents, opf_meta, source=source, work_id=work_id)
