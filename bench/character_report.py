"""The character sanity report: the top characters ficlens finds in each work of a corpus.

Issue #12's check on unseen books: index a folder of novels (`ficlens index ../shared/corpus/pd-fiction
--db pd.db`), then print each work's ten most-mentioned characters, so that a reader can see at a
glance which are not people (interjections, places, sound words) and whether the main character is
there. Nothing here is scored automatically: the point is to look.

    python bench/character_report.py --db pd.db [--top 10] [--format text|tsv]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys


def report(db: str, top: int) -> list[tuple[str, int, list[tuple[str, str, int, int]]]]:
    """(title, words, [(name, gender, mentions, quotes spoken)]) per work, in title order."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    works = conn.execute("SELECT id, coalesce(title, source), words FROM works ORDER BY 2").fetchall()
    result = []
    for work, title, words in works:
        cast = conn.execute(
            "SELECT name, gender, mentions, quotes FROM characters WHERE work = ? AND NOT is_reader"
            " ORDER BY mentions DESC, name LIMIT ?",
            (work, top),
        ).fetchall()
        result.append((title, words, cast))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--format", choices=["text", "tsv"], default="text")
    args = parser.parse_args(argv)
    for title, words, cast in report(args.db, args.top):
        if args.format == "tsv":
            for rank, (name, gender, mentions, quotes) in enumerate(cast, 1):
                print(f"{title}\t{rank}\t{name}\t{gender}\t{mentions}\t{quotes}")
            continue
        names = ", ".join(f"{name} ({gender[0] if gender else '?'}, {mentions})" for name, gender, mentions, _ in cast)
        print(f"{title} [{words:,} words]\n  {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
