"""Writing reports to disk without ever clobbering a user's files.

A report is written to a temporary file in the target directory and then moved into place, so a
crash never leaves half a file; without `force`, an existing file is never replaced.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import OutputError, OutputExists
from .model import Profile
from .render import EXTENSIONS, render


def output_paths(work_id: str, out_dir: Path, formats: list[str]) -> list[Path]:
    return [out_dir / f"{work_id}{EXTENSIONS[fmt]}" for fmt in formats]


def check_writable(paths: list[Path], force: bool) -> None:
    """Fail before any analysis when a target exists, so no work is wasted or half-written."""
    if force:
        return
    existing = [p for p in paths if p.exists()]
    if existing:
        raise OutputExists(f"{existing[0]} exists; use --force to overwrite")


def _umask() -> int:
    """The process umask (reading it means setting it; it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: str | bytes, force: bool) -> None:
    with open_atomic(path, force, binary=isinstance(content, bytes)) as handle:
        handle.write(content)


@contextmanager
def open_atomic(path: Path, force: bool, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A file to stream into; it appears at `path` only once the `with` block ends without error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a report should get the user's usual mode
    except OSError as exc:
        raise OutputError(f"cannot write to {path.parent}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # atomic "create only if absent"
            except FileExistsError:
                raise OutputExists(f"{path} exists; use --force to overwrite") from None
            except OSError:
                if path.exists():
                    raise OutputExists(f"{path} exists; use --force to overwrite") from None
                os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_reports(profile: Profile, out_dir: Path, formats: list[str], force: bool) -> list[Path]:
    paths = output_paths(profile.work.id, out_dir, formats)
    check_writable(paths, force)
    for fmt, path in zip(formats, paths):
        write_atomic(path, render(profile, fmt), force)
    return paths
