"""The corpus database the web tests browse: the repo's examples plus one hostile work whose
title, tags, author and text are HTML and script, to prove the app escapes everything."""

from __future__ import annotations

import hashlib
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

HOSTILE_TITLE = "<script>window.__pwned = 'title'; alert('title')</script>Evil Title"
HOSTILE_TAG = "<img src=x onerror=\"window.__pwned = 'tag'; alert('tag')\">"
HOSTILE_AUTHOR = "<b onmouseover=\"alert('author')\">mallory</b>"
HOSTILE_TEXT = (
    "Mara opened the door. <script>window.__pwned = 'text'; alert('text')</script>\n\n"
    "\u201cDid you see the <img src=x onerror=\"window.__pwned = 'quote'\"> sign?\u201d Mara asked.\n\n"
    "\u201cNo,\u201d Tobias said. \u201cI saw nothing at all.\u201d\n"
)


def hostile_work():
    from ficlens import read_text

    work = read_text(HOSTILE_TEXT, work_id="hostile", title=HOSTILE_TITLE)
    work.source = "hostile.txt"
    work.authors = [HOSTILE_AUTHOR]
    work.author_tags.fandoms = [HOSTILE_TAG]
    work.author_tags.additional = [HOSTILE_TAG + " extra"]
    return work


def build_web_corpus(path: Path, pipeline) -> Path:
    """Build the database once per test session (the path is shared by the web test modules)."""
    if path.exists():
        return path
    import ficlens
    from ficlens.corpus.rows import build_record

    partial = path.with_suffix(".partial")
    with ficlens.Corpus(partial) as corpus:
        records = [build_record(pipeline(w), str(w.source or w.id)) for w in ficlens.iter_works(EXAMPLES)]
        records.append(build_record(pipeline(hostile_work()), "hostile.txt"))
        corpus.add(records)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(path)
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
