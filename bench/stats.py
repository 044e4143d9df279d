"""How long `ficlens stats` takes over a 10,000-work corpus database (goal: under 30 s).

    python bench/stats.py [--db /tmp/stats10k.db] [--works 10000] [--rebuild]

The database is built once (then reused) from real profiles: the example works are analysed,
their `WorkRecord`s (corpus.rows.build_record, the rows `ficlens index` writes) are cloned
--works times through `Corpus.add`, and each clone gets its own authors' tags drawn (seeded)
from AO3-like frequencies: one or two of 40 fandoms, a rating, warnings, categories, characters,
relationships and additional tags, and for some works audit findings. So the characters, quotes,
tags and audit tables have the row counts of a fan-fiction corpus (about 50 quotes, 7 characters
and 30 tag rows per work); the search index and MinHashes are left empty, as stats never reads
them. Then the tables (corpus_stats) and the plots (16 plots × PNG + SVG) are timed apart, with
wall and CPU time.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

FANDOMS = [
    f"Fandom {name}"
    for name in (
        "Harry Potter",
        "Marvel",
        "Star Wars",
        "Sherlock",
        "Supernatural",
        "Naruto",
        "Haikyuu!!",
        "My Hero Academia",
        "Good Omens",
        "Doctor Who",
        "Teen Wolf",
        "Merlin",
        "The Witcher",
        "Genshin Impact",
        "Critical Role",
        "Dragon Age",
        "Mass Effect",
        "Hannibal",
        "Hamilton",
        "Batman",
        "Buffy",
        "Avatar",
        "One Piece",
        "Jujutsu Kaisen",
        "Demon Slayer",
        "Attack on Titan",
        "Pokemon",
        "Tolkien",
        "Percy Jackson",
        "Hunger Games",
        "Les Miserables",
        "Star Trek",
        "Stranger Things",
        "Miraculous",
        "Homestuck",
        "Hetalia",
        "Danganronpa",
        "Final Fantasy",
        "Baldur's Gate",
        "MDZS",
    )
]
RATINGS = [("General Audiences", 40), ("Teen And Up Audiences", 30), ("Mature", 20), ("Explicit", 10)]
WARNINGS = [
    ("No Archive Warnings Apply", 55),
    ("Creator Chose Not To Use Archive Warnings", 25),
    ("Graphic Depictions Of Violence", 12),
    ("Major Character Death", 6),
    ("Rape/Non-Con", 2),
]
CATEGORIES = [("M/M", 40), ("F/M", 25), ("Gen", 20), ("F/F", 10), ("Multi", 5)]
ADDITIONAL = [
    "Fluff",
    "Angst",
    "Hurt/Comfort",
    "Alternate Universe",
    "Established Relationship",
    "Slow Burn",
    "Friends to Lovers",
    "Found Family",
    "Smut",
    "Humor",
    "Canon Divergence",
    "Romance",
    "Drama",
    "One Shot",
    "Whump",
    "Enemies to Lovers",
    "Time Travel",
    "Modern AU",
    "Coffee Shop AU",
    "Fix-It",
]


def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def build(db: Path, works: int, seed: int = 7) -> None:
    import ficlens
    from ficlens.corpus import Corpus, build_record

    pipeline = ficlens.Pipeline()
    examples = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".txt", ".html"))
    started = time.perf_counter()
    bases = [build_record(pipeline(ficlens.read(p)), str(p), with_minhash=False) for p in examples]
    print(f"analysed {len(bases)} example works in {time.perf_counter() - started:.1f} s")
    rng = random.Random(seed)
    started = time.perf_counter()
    with Corpus(db) as corpus:
        batch = []
        for i in range(works):
            base = bases[i % len(bases)]
            record = copy.copy(base)
            record.source_key = f"bench:{i}"
            record.work = dict(
                base.work,
                source_key=record.source_key,
                source=record.source_key,
                work_id=f"bench-{i}",
                language=rng.choice(["English"] * 9 + ["Español"]),
                published=str(rng.randint(2009, 2025)),
                words=base.work["words"] * rng.randint(1, 30),
            )
            record.rows = dict(base.rows)
            record.texts, record.quote_texts = [], []
            names = [row[1] for row in base.rows["characters"]][:6]
            tags = [t for t in base.rows["tags"] if t[2] == "suggested"]
            author = [("fandom", f, "author", None, "[]") for f in rng.sample(FANDOMS, rng.choice([1, 1, 1, 2]))]
            author.append(("rating", pick(rng, RATINGS), "author", None, "[]"))
            author += [("warning", w, "author", None, "[]") for w in {pick(rng, WARNINGS) for _ in range(2)}]
            author += [("category", c, "author", None, "[]") for c in {pick(rng, CATEGORIES) for _ in range(2)}]
            author += [("character", n, "author", None, "[]") for n in names]
            if len(names) >= 2:
                author.append(("relationship", f"{names[0]}{rng.choice(['/', ' & '])}{names[1]}", "author", None, "[]"))
            author += [("additional", a, "author", None, "[]") for a in rng.sample(ADDITIONAL, rng.randint(2, 8))]
            record.rows["tags"] = author + tags
            audit = []
            if rng.random() < 0.05:
                audit.append((0, "rating", "missing", "Explicit", "reads as Explicit", "[]"))
            if rng.random() < 0.03:
                audit.append((len(audit), "warnings", "missing", "Major Character Death", "a death", "[]"))
            record.rows["audit"] = audit
            batch.append(record)
            if len(batch) == 500:
                corpus.add(batch)
                batch = []
        if batch:
            corpus.add(batch)
    print(f"wrote {works:,} works into {db} in {time.perf_counter() - started:.1f} s")


from timing import timed  # noqa: E402 (bench/ is on sys.path when a script runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "ficlens-stats10k.db")
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.rebuild and args.db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    if not args.db.exists():
        build(args.db, args.works)
    from ficlens.corpus import Corpus
    from ficlens.corpus.stats import corpus_stats
    from ficlens.plots.corpus import write_corpus_plots

    with Corpus(args.db, readonly=True) as corpus:
        counts = {
            t: corpus.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("works", "characters", "quotes", "tags", "audit", "relationships")
        }
        print("rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
        stats, wall, cpu = timed(lambda: corpus_stats(corpus))
        print(f"tables ({len(stats.tables)}): {wall:.2f} s wall, {cpu:.2f} s CPU")
        fandom = stats["works_by_fandom"].rows[0][0]
        _, fwall, fcpu = timed(lambda: corpus_stats(corpus, fandom=fandom))
        print(f"tables for one fandom ({fandom}): {fwall:.2f} s wall, {fcpu:.2f} s CPU")
    with tempfile.TemporaryDirectory() as tmp:
        paths, pwall, pcpu = timed(lambda: write_corpus_plots(stats, Path(tmp), ("png", "svg")))
        print(f"plots ({len(paths)} files): {pwall:.2f} s wall, {pcpu:.2f} s CPU")
    total, total_cpu = wall + pwall, cpu + pcpu
    print(
        f"goal: stats over {counts['works']:,} works in < 30 s: {'met' if total < 30 else 'NOT met'} "
        f"({total:.1f} s wall, {total_cpu:.1f} s CPU: tables + plots)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
