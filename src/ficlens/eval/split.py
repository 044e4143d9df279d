"""The tune / check split shared by every evaluation (`ficlens eval ... --split tune|check|all`).

Rules and weights are tuned on the tune part; the check part is measured only to confirm that a
change generalises (its errors are never read). The split must not move when documents are added
or removed, so it depends on each document's own id only: the first byte of the SHA-256 of the id
(an AO3 work id, a LitBank or PDNC document name), even for tune, odd for check — about half each.
"""

from __future__ import annotations

import hashlib

SPLITS = ("tune", "check", "all")


def split_of(doc_id: str) -> str:
    """ "tune" or "check" for a document id; stable across runs, machines and corpus changes."""
    return "tune" if hashlib.sha256(doc_id.encode("utf-8")).digest()[0] % 2 == 0 else "check"


def in_split(doc_id: str, split: str | None) -> bool:
    """Whether a document belongs to `split` ("all" or None: every document)."""
    if split in (None, "all"):
        return True
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    return split_of(doc_id) == split
