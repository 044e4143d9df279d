"""Reading any fan-fiction input into `Work`s.

`read(path)` gives the one work a file holds; `iter_works(path)` walks directories, zips and
JSONL files and yields a `Work` or a `ReadFailure` for each thing it met, so that one bad file
in a directory of thousands is reported and skipped rather than ending the run.

Format is decided by sniffing the bytes (zip magic, markup, JSON lines), with the file name
only as a tie-breaker: scraped dumps are often misnamed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import FiclensError, InputNotFound, InputTooLarge, NoWorksFound, UnreadableInput
from ..model import Work
from .limits import ReadLimits

__all__ = ["ReadFailure", "ReadLimits", "iter_works", "read", "read_bytes", "read_text", "work_id_for"]


@dataclass
class ReadFailure:
    """An input that could not be read, with the one-line reason."""

    source: str
    error: FiclensError

    @property
    def message(self) -> str:
        return f"{self.source}: {self.error.message}"


def work_id_for(name: str) -> str:
    """A filename-safe id from a path-like name: 'My Story (1).txt' → 'my-story-1'."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower()
    return slug or "work"


def read_text(text: str, work_id: str = "text", title: str | None = None) -> Work:
    """A work from a string already in memory (no decoding, no repair)."""
    from .. import segment

    return Work(id=work_id, text=text, parts=segment.split_parts(text), source=None, format="text", title=title)


def _first_member_is_mimetype(data: bytes) -> bool:
    """Whether the zip's first local header names `mimetype`, as the EPUB container requires.

    Looking for "application/epub+zip" anywhere near the start is not enough: a zip of EPUBs
    stored uncompressed (`zip -0`) shows its first EPUB's mimetype within the first bytes too.
    """
    name_length = int.from_bytes(data[26:28], "little")
    return len(data) >= 30 + name_length and data[30 : 30 + name_length] == b"mimetype"


def sniff(data: bytes, name: str) -> str:
    """Guess the format of one file's bytes: epub, zip, html, jsonl, json, or text."""
    lower = name.lower()
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        if lower.endswith(".epub") or _first_member_is_mimetype(data):
            return "epub"
        return "zip"
    head = data[:4096]
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom) :]
    stripped = head.lstrip()
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lower.endswith(".json") and stripped.startswith(b"{"):
        return "json"
    if stripped.startswith(b"<") and re.search(rb"<(html|body|div|p|!doctype|head|\?xml)\b", stripped[:4096], re.I):
        return "html"
    if stripped.startswith(b"{") and b'"text"' in stripped[:4096] and b"\n" in stripped:
        return "jsonl"
    return "text"


def read_bytes(
    data: bytes, *, name: str, source: str, work_id: str, limits: ReadLimits
) -> Iterator[Work | ReadFailure]:
    """Every work in one file's bytes, whatever its format."""
    fmt = sniff(data, name)
    if fmt == "zip":
        from .archive import iter_zip

        yield from iter_zip(data, source=source, work_id=work_id, limits=limits)
    elif fmt == "jsonl":
        from .jsonl import iter_jsonl

        yield from iter_jsonl(data, source=source, work_id=work_id, limits=limits)
    elif fmt == "json":
        raise UnreadableInput("a JSON file without story text (a FanFicFare --json-meta file is read beside its story)")
    elif fmt == "epub":
        from .epub import read_epub

        yield read_epub(data, source=source, work_id=work_id, limits=limits)
    elif fmt == "html":
        from .html import read_html

        yield read_html(data, source=source, work_id=work_id)
    else:
        from .text import read_text_bytes

        yield read_text_bytes(data, source=source, work_id=work_id)


def _read_file_bytes(path: Path, limits: ReadLimits) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableInput(f"cannot read: {exc.strerror or exc}") from None
    if size > limits.max_file_bytes:
        raise InputTooLarge(
            f"file is {size / 1e6:.0f} MB, over the {limits.max_file_bytes / 1e6:.0f} MB limit (raise --max-file-mb)"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"cannot read: {exc.strerror or exc}") from None


def _with_sidecar(work: Work, path: Path) -> Work:
    """Merge a FanFicFare `--json-meta` file saved beside the story (same stem, .json)."""
    sidecar = path.with_suffix(".json")
    if sidecar == path or not sidecar.is_file():
        return work
    from .fanficfare import apply_json_meta, load_json_meta

    try:
        meta = load_json_meta(sidecar.read_bytes())
    except (OSError, FiclensError):
        return work  # a broken sidecar must not lose the story itself
    return apply_json_meta(work, meta)


def _iter_file(path: Path, display: str, work_id: str, limits: ReadLimits) -> Iterator[Work | ReadFailure]:
    try:
        data = _read_file_bytes(path, limits)
        for item in read_bytes(data, name=path.name, source=display, work_id=work_id, limits=limits):
            yield _with_sidecar(item, path) if isinstance(item, Work) else item
    except FiclensError as exc:
        yield ReadFailure(display, exc)


def _is_sidecar(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    return any(path.with_suffix(ext).is_file() for ext in (".txt", ".html", ".htm", ".epub"))


# Files a directory of works carries about itself, not works: skipped when walking a directory
# (still read when named directly).
_NOT_WORKS = re.compile(r"^(readme|license|licence|changelog|copying)(\.[a-z]+)?$", re.IGNORECASE)


def _walk(root: Path, skip: Path | None) -> Iterator[Path]:
    skip_resolved = skip.resolve() if skip else None
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and (skip_resolved is None or (Path(dirpath) / d).resolve() != skip_resolved)
        )
        for filename in sorted(filenames):
            if not filename.startswith(".") and not _NOT_WORKS.match(filename):
                yield Path(dirpath) / filename


def iter_works(
    path: str | os.PathLike[str], limits: ReadLimits | None = None, skip: Path | None = None
) -> Iterator[Work | ReadFailure]:
    """Every work under `path` (a file, a directory walked recursively, a zip, a JSONL file).

    `skip` names a directory not to descend into (the run's own output directory).
    Raises `InputNotFound` for a missing path and `NoWorksFound` when nothing at all could be
    read; otherwise problems come back as `ReadFailure` items in order.
    """
    limits = limits or ReadLimits()
    root = Path(path)
    if not root.exists():
        raise InputNotFound(f"{path}: no such file or directory")
    items: Iterator[Work | ReadFailure] = (
        item for file, work_id in iter_files(root, skip) for item in _iter_file(file, str(file), work_id, limits)
    )
    seen_ids: dict[str, int] = {}
    for item in items:
        if isinstance(item, Work):
            count = seen_ids.get(item.id, 0)
            seen_ids[item.id] = count + 1
            if count:
                item.id = f"{item.id}-{count + 1}"
        yield item
    if not seen_ids and root.is_dir():
        # Failures, if any, were already yielded; say plainly that nothing was usable.
        raise NoWorksFound(f"{path}: no readable work found")


def iter_files(path: str | os.PathLike[str], skip: Path | None = None) -> Iterator[tuple[Path, str]]:
    """The files `iter_works(path)` reads, each with the id it gives the file's work, unread.

    For `ficlens index`, which hands files to worker processes instead of reading them itself.
    """
    root = Path(path)
    if not root.exists():
        raise InputNotFound(f"{path}: no such file or directory")
    if not root.is_dir():
        yield root, work_id_for(root.name)
        return
    for file in _walk(root, skip):
        if not _is_sidecar(file):
            yield file, work_id_for(str(file.relative_to(root)))


def iter_file_works(path: Path, work_id: str, limits: ReadLimits | None = None) -> Iterator[Work | ReadFailure]:
    """The works of one file of `iter_files`, read exactly as `iter_works` reads them."""
    return _iter_file(path, str(path), work_id, limits or ReadLimits())


def read(path: str | os.PathLike[str], limits: ReadLimits | None = None) -> Work:
    """The single work at `path`. For containers of several works use `iter_works`."""
    works: list[Work] = []
    for item in iter_works(path, limits):
        if isinstance(item, ReadFailure):
            raise item.error
        works.append(item)
        if len(works) > 1:
            raise UnreadableInput(f"{path}: holds several works; use ficlens.iter_works()")
    if not works:
        raise NoWorksFound(f"{path}: no readable work found")
    return works[0]
