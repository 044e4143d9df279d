"""`ficlens duplicates --db corpus.db [--threshold T]`: reposts, edited copies and text of one
work inside another (corpus/duplicates.py does the work)."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..corpus.duplicates import DEFAULT_THRESHOLD
from .corpus_output import add_db_and_format, label, open_corpus, write_csv, write_json
from . import Subparsers


def register(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("duplicates", help="near-duplicate works: reposts, edited copies, containment")
    add_db_and_format(p)
    p.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help=f"share of the smaller work's text found in the other, 0–1 (default {DEFAULT_THRESHOLD})",
    )
    p.add_argument("--work", metavar="WORK", help="only the duplicates of this work")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with open_corpus(args.db) as corpus:
        if args.work:
            from ..corpus.duplicates import DuplicateGroup, duplicates_of

            target = corpus.resolve(args.work)
            pairs = duplicates_of(corpus, target, threshold=args.threshold)
            groups = [DuplicateGroup(works=sorted({target, *(w for p in pairs for w in (p.a, p.b))}), pairs=pairs)]
            groups = [g for g in groups if g.pairs]
            titles = {w.id: w.title for w in (corpus.work(i) for g in groups for i in g.works)}
            for g in groups:
                g.titles = {w: titles[w] for w in g.works}
        else:
            groups = corpus.duplicates(threshold=args.threshold)
    if args.format == "json":
        write_json(out, {"threshold": args.threshold, "groups": groups})
        return 0
    if args.format == "csv":
        write_csv(
            out,
            ["group", "a", "b", "kind", "jaccard", "a_in_b", "b_in_a", "shared_shingles"],
            [
                (n, p.a, p.b, p.kind, p.jaccard, p.containment_a_in_b, p.containment_b_in_a, p.shared_shingles)
                for n, g in enumerate(groups, 1)
                for p in g.pairs
            ],
        )
        return 0
    noun = "group" if len(groups) == 1 else "groups"
    out.write(f"{len(groups)} {noun} of works sharing text (threshold {args.threshold:g})\n")
    for n, group in enumerate(groups, 1):
        out.write(f"\n{n}. " + "; ".join(label(w, group.titles.get(w)) for w in group.works) + "\n")
        for p in group.pairs:
            out.write(
                f"   [{p.a}] ~ [{p.b}] {p.kind}: Jaccard {p.jaccard:.2f}, {p.containment_a_in_b:.0%} of [{p.a}] "
                f"in [{p.b}], {p.containment_b_in_a:.0%} of [{p.b}] in [{p.a}]\n"
            )
    return 0
