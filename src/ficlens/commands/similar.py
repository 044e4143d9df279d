"""`ficlens similar WORK --db corpus.db [-k 10]`: the works most like one, each saying why
(corpus/similar.py does the work)."""

from __future__ import annotations

import argparse
from typing import TextIO

from . import Subparsers, UsageError
from .corpus_output import add_db_and_format, label, open_corpus, write_csv, write_json


def register(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("similar", help="works like a given one: text, characters, relationships, tags")
    p.add_argument("work", metavar="WORK", help="the work's database id, ficlens work id or source")
    add_db_and_format(p)
    p.add_argument("-k", type=int, default=10, help="how many works (default 10)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.k < 1:
        raise UsageError("-k must be at least 1")
    with open_corpus(args.db) as corpus:
        target = corpus.work(args.work)
        hits = corpus.similar(target.id, k=args.k)
    if args.format == "json":
        write_json(out, {"work": target.id, "title": target.title, "similar": hits})
    elif args.format == "csv":
        write_csv(
            out,
            [
                "work",
                "title",
                "score",
                "text",
                "characters",
                "tags",
                "shared_characters",
                "shared_relationships",
                "shared_tags",
                "shared_words",
            ],
            [
                (
                    h.work,
                    h.title or "",
                    h.score,
                    h.text_similarity,
                    h.character_similarity,
                    h.tag_similarity,
                    "; ".join(h.shared_characters),
                    "; ".join(h.shared_relationships),
                    "; ".join(h.shared_tags),
                    "; ".join(h.shared_words),
                )
                for h in hits
            ],
        )
    else:
        out.write(f"Works like {label(target.id, target.title)}:\n")
        if not hits:
            out.write("  none: the corpus holds no other work\n")
        for n, hit in enumerate(hits, 1):
            out.write(f"\n{n:3}. {label(hit.work, hit.title)} — score {hit.score:.2f}\n")
            for reason in hit.reasons():
                out.write(f"     {reason}\n")
    return 0
