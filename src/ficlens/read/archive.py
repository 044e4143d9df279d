"""Works inside a zip archive, read with limits that defeat zip bombs.

Declared sizes in a zip header are attacker-controlled, so every member is read through a
bounded reader: we stop at the limit whatever the header claims. Nested archives are reported,
not opened: recursion is how a 42 KB file becomes petabytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import TYPE_CHECKING, Iterator

from ..errors import FiclensError, InputTooLarge, UnreadableInput
from ..model import Work
from .limits import ReadLimits

if TYPE_CHECKING:
    from . import ReadFailure

_SKIP_PREFIXES = ("__MACOSX/", ".")

# What `zipfile` raises on damaged archives and members, besides BadZipFile: a corrupt deflate
# stream (zlib.error), a cut-off file (EOFError), an encrypted member (RuntimeError), a method
# it lacks (NotImplementedError), a mangled header (struct.error, ValueError, OSError).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    RuntimeError,
    NotImplementedError,
    struct.error,
    ValueError,
    OSError,
)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        raise UnreadableInput("not a valid zip archive (corrupt or truncated)") from None


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ReadLimits, budget: int) -> bytes:
    """One member's bytes, refusing anything over the member limit, the ratio limit or `budget`."""
    cap = min(limits.max_member_bytes, budget)
    if info.file_size > cap:
        raise InputTooLarge(f"{info.filename}: {info.file_size / 1e6:.0f} MB uncompressed, over the limit (zip bomb?)")
    if (
        info.file_size > 1_000_000
        and info.compress_size
        and info.file_size / info.compress_size > limits.max_compression_ratio
    ):
        raise InputTooLarge(
            f"{info.filename}: compression ratio {info.file_size / info.compress_size:.0f}:1 is suspicious (zip bomb?)"
        )
    try:
        with archive.open(info) as stream:
            data = stream.read(cap + 1)
    except ZIP_ERRORS as exc:
        raise UnreadableInput(f"{info.filename}: cannot extract ({exc})") from None
    if len(data) > cap:
        raise InputTooLarge(f"{info.filename}: expands past the size limit (zip bomb?)")
    return data


def iter_zip(data: bytes, *, source: str, work_id: str, limits: ReadLimits) -> Iterator[Work | ReadFailure]:
    from . import ReadFailure, read_bytes, sniff, work_id_for

    archive = _open_zip(data)
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and not info.filename.rsplit("/", 1)[-1].startswith(".")
        and not info.filename.startswith(_SKIP_PREFIXES)
    ]
    if len(members) > limits.max_archive_members:
        raise InputTooLarge(f"archive holds {len(members)} files, over the limit of {limits.max_archive_members}")
    budget = limits.max_archive_bytes
    for info in members:
        display = f"{source}!{info.filename}"
        try:
            member_data = read_member(archive, info, limits, budget)
            budget -= len(member_data)
            if sniff(member_data, info.filename) == "zip":
                raise UnreadableInput("an archive inside an archive is not opened; extract it first")
            yield from read_bytes(
                member_data,
                name=info.filename,
                source=display,
                work_id=f"{work_id}-{work_id_for(info.filename)}",
                limits=limits,
            )
        except InputTooLarge as exc:
            yield ReadFailure(display, exc)
            if budget <= 0 or "zip bomb" in exc.message:
                # One bomb member is reason enough to distrust the rest of the archive.
                yield ReadFailure(source, InputTooLarge("archive abandoned after an oversized member"))
                return
        except FiclensError as exc:
            yield ReadFailure(display, exc)
