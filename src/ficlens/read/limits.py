"""Safety limits for reading untrusted input: zip bombs, giant files, endless lines."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadLimits:
    max_file_bytes: int = 200_000_000  # one input file as stored on disk
    max_member_bytes: int = 200_000_000  # one file inside a zip/EPUB, uncompressed
    max_archive_bytes: int = 1_000_000_000  # all files inside one zip, uncompressed
    max_archive_members: int = 100_000
    max_compression_ratio: float = 200.0  # uncompressed / compressed, for members over 1 MB
    max_jsonl_line_bytes: int = 100_000_000
