"""Builds small EPUBs for the reader tests, the way the tools that make real ones lay them out.

* `build_epub` — any list of XHTML documents, with mimetype, META-INF/container.xml, an OPF
  (manifest + spine) and a toc.ncx, like every EPUB 2 file.
* `ao3_epub_from_html` — what calibre makes of an AO3 HTML download: the OPF at the root, the
  document split into `<title>_split_NNN.xhtml` files (the preface first, one file per chapter,
  the afterword last), the split ancestors (`div#chapters.userstuff`) repeated in each file,
  and calibre's own `calibreN` classes added to elements.
* `fanficfare_epub` — FanFicFare's writer_epub layout: `content.opf` at the root naming
  FanFicFare as contributor, `OEBPS/title_page.xhtml`, `OEBPS/toc_page.xhtml`, `OEBPS/fileNNNN.xhtml`.
"""

from __future__ import annotations

import copy
import io
import zipfile
from html import escape
from pathlib import Path

from bs4 import BeautifulSoup, Tag

XHTML_HEAD = """<?xml version='1.0' encoding='utf-8'?>
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<title>{title}</title>
<link href="stylesheet.css" rel="stylesheet" type="text/css"/>
</head>
<body class="calibre">
{body}
</body>
</html>
"""

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
   <rootfiles>
      <rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>
   </rootfiles>
</container>
"""


def build_epub(
    documents: list[tuple[str, str]],
    *,
    title: str,
    creators: list[str],
    language: str = "en",
    opf_path: str = "content.opf",
    extra_metadata: str = "",
    extra_members: list[tuple[str, bytes]] | None = None,
) -> bytes:
    """An EPUB 2 holding `documents` ((path in zip, XHTML), in spine order)."""
    opf_dir = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
    manifest = ['<item href="toc.ncx" id="ncx" media-type="application/x-dtbncx+xml"/>']
    spine = []
    for index, (path, _) in enumerate(documents):
        href = path[len(opf_dir) :] if opf_dir and path.startswith(opf_dir) else path
        manifest.append(f'<item href="{escape(href)}" id="html{index}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="html{index}"/>')
    creator_xml = "\n".join(f'<dc:creator opf:role="aut">{escape(c)}</dc:creator>' for c in creators)
    opf = f"""<?xml version='1.0' encoding='utf-8'?>
<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="uuid_id" version="2.0">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>{escape(title)}</dc:title>
    {creator_xml}
    <dc:language>{language}</dc:language>
    <dc:identifier id="uuid_id" opf:scheme="uuid">urn:uuid:00000000-0000-4000-8000-000000000001</dc:identifier>
    {extra_metadata}
  </metadata>
  <manifest>
    {chr(10).join(manifest)}
  </manifest>
  <spine toc="ncx">
    {chr(10).join(spine)}
  </spine>
</package>
"""
    ncx = """<?xml version='1.0' encoding='utf-8'?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head/><docTitle><text>t</text></docTitle><navMap/></ncx>
"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER.format(opf=opf_path), compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(opf_path, opf, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(opf_dir + "toc.ncx", ncx, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(opf_dir + "stylesheet.css", "body { margin: 0 }", compress_type=zipfile.ZIP_DEFLATED)
        for path, xhtml in documents:
            archive.writestr(path, xhtml.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
        for path, data in extra_members or []:
            archive.writestr(path, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _add_calibre_classes(fragment: Tag) -> None:
    """Calibre flattens CSS into generated classes, appended to the ones the source had."""
    counter = 1
    for element in fragment.find_all(["p", "dt", "dd", "blockquote", "h1", "h2", "div", "a"]):
        classes = element.get("class") or []
        element["class"] = [*classes, f"calibre{counter % 7 + 1}"]
        counter += 1


def _xhtml(title: str, *fragments: Tag | str) -> str:
    body = "\n".join(str(f) for f in fragments)
    return XHTML_HEAD.format(title=escape(title), body=body)


def ao3_epub_from_html(html: str, *, stem: str = "Pride_and_Prejudice") -> bytes:
    """An AO3 HTML download converted the way AO3 runs calibre on it (split files, calibre classes)."""
    soup = BeautifulSoup(html, "lxml")
    _add_calibre_classes(soup.body)
    title = soup.find("h1").get_text(strip=True)
    creators = [a.get_text(strip=True) for a in soup.find(class_="byline").find_all("a")]
    files: list[str] = [_xhtml(title, soup.find(id="preface"))]

    chapters = soup.find(id="chapters")
    groups: list[list[Tag]] = []
    for child in chapters.find_all(True, recursive=False):
        classes = child.get("class") or []
        if "meta" in classes and "group" in classes or not groups:
            groups.append([])
        groups[-1].append(child)
    for group in groups:
        # calibre repeats the split ancestor in every file, without its id after the first
        wrapper = BeautifulSoup('<div class="userstuff calibre3"></div>', "lxml").div
        for node in group:
            wrapper.append(copy.copy(node))
        if not files[1:]:
            wrapper["id"] = "chapters"
        files.append(_xhtml(title, wrapper))
    files.append(_xhtml(title, soup.find(id="afterword")))

    documents = [(f"{stem}_split_{i:03d}.xhtml", xhtml) for i, xhtml in enumerate(files)]
    language = "en"
    return build_epub(
        documents,
        title=title,
        creators=creators,
        language=language,
        extra_metadata='<dc:publisher>Archive of Our Own</dc:publisher>\n<dc:contributor opf:role="bkp">calibre (5.0.0) [https://calibre-ebook.com]</dc:contributor>',
    )


def fanficfare_epub(folder: Path, *, title: str, creators: list[str], story_url: str) -> bytes:
    """FanFicFare's EPUB from the title page, TOC page and chapter files in `folder`."""
    names = ["title_page.xhtml", "toc_page.xhtml"] + sorted(p.name for p in folder.glob("file*.xhtml"))
    documents = [(f"OEBPS/{name}", (folder / name).read_text(encoding="utf-8")) for name in names]
    extra = f"""<dc:contributor id="id-3">FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>
    <dc:identifier opf:scheme="URL">{escape(story_url)}</dc:identifier>
    <dc:source>{escape(story_url)}</dc:source>
    <dc:date opf:event="publication">2023-03-14</dc:date>
    <dc:date opf:event="modification">2023-04-02</dc:date>
    <dc:subject>FanFiction</dc:subject>
    <dc:publisher>archiveofourown.org</dc:publisher>"""
    return build_epub(documents, title=title, creators=creators, extra_metadata=extra)
