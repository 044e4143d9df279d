"""Build the search and near-duplicate benchmark corpora from ../shared/corpus/pd-fiction.

    python bench/build_search_corpus.py dups    [--out /tmp/search-bench]   # tune + check sets
    python bench/build_search_corpus.py latency [--db /tmp/search10k.db] [--works 10000]
    python bench/build_search_corpus.py similar [--similar-db /tmp/search-similar.db]  # for `ficlens similar`

Deterministic: the same pd-fiction files and --seed give the same pieces, edits and tags.

dups: the novels are cut into work-sized pieces (1,000–10,000 words, at paragraph breaks, with a
"Chapter N" heading every 800–2,500 words). Novels with an even position in the sorted file list
make the *tune* set, the others the *check* set (thresholds are chosen on tune only). In each set,
some pieces get one planted near-duplicate each:
  repost (verbatim, new title) · rewrap (lines re-wrapped at 60 columns, paragraphs kept) ·
  reencode (typographic quotes and dashes made ASCII, accents dropped; or UTF-8 read as
  Windows-1252, i.e. mojibake) · notes (an author's note added before and after) ·
  edited (5–30 % of the words edited in runs of 1–6 words: replaced by other words of the same
  piece, deleted, or with words inserted) · truncated (only the first 40–90 %) ·
  chapter (one chapter of the piece copied into another piece of another novel, which then
  stands in the set in place of the original).
Every other piece is a distractor, including the pieces cut from the same novels (the hardest
negatives: same names, same style). Written per set: works.jsonl, truth.json (the planted pairs)
and a database (stats-only analysis: duplicates need only the stored text).

latency: 10,000 pieces of 600–3,000 words cut from all of pd-fiction without overlap (about the
whole 18.5M words), analysed with a cheap pipeline (word counts, and point of view from pronoun
counts outside quotations) instead of the full NLP analysis, which would take hours here. Tags
are the *authors'* tags of a JSONL input: fandom = the novel, characters = the piece's most
frequent capitalised names, a relationship of its two first characters, and rating, warnings,
category and 1–4 additional tags drawn at random (seeded) from AO3-like frequencies. So facets
have realistic shapes, but the tag values are synthetic; no suggested tags, quotes or cast.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import sys
import textwrap
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PD = ROOT.parent / "shared" / "corpus" / "pd-fiction"

RATINGS = [("General Audiences", 40), ("Teen And Up Audiences", 30), ("Mature", 20), ("Explicit", 10)]
WARNINGS = [
    ("No Archive Warnings Apply", 65),
    ("Creator Chose Not To Use Archive Warnings", 20),
    ("Graphic Depictions Of Violence", 8),
    ("Major Character Death", 5),
    ("Rape/Non-Con", 2),
]
CATEGORIES = [("Gen", 45), ("F/M", 30), ("M/M", 12), ("F/F", 6), ("Multi", 5), ("Other", 2)]
ADDITIONAL = [
    ("Angst", 30),
    ("Fluff", 25),
    ("Hurt/Comfort", 20),
    ("Romance", 18),
    ("Alternate Universe", 12),
    ("Friendship", 12),
    ("Family", 10),
    ("Humor", 10),
    ("Slow Burn", 8),
    ("Drama", 8),
    ("Mystery", 6),
    ("Historical", 6),
    ("Canon Compliant", 5),
    ("Letters", 3),
    ("Found Family", 5),
    ("Pining", 4),
]
_NAME = re.compile(r"(?<![.!?\"“]\s)(?<!^)\b([A-Z][a-z]{2,})\b")
_NOT_NAMES = {
    "The",
    "And",
    "But",
    "Then",
    "There",
    "This",
    "That",
    "What",
    "When",
    "Where",
    "Why",
    "How",
    "She",
    "Her",
    "His",
    "They",
    "You",
    "Yes",
    "Well",
    "Now",
    "Chapter",
    "Mrs",
    "Miss",
    "Sir",
    "Lady",
    "Lord",
    "God",
    "Oh",
    "For",
    "Not",
    "With",
    "All",
    "One",
    "Its",
    "Our",
    "Your",
    "Their",
    "Who",
    "It",
    "If",
    "As",
    "So",
    "No",
    "In",
    "On",
    "At",
    "Of",
    "My",
    "We",
    "He",
    "Mr",
    "Dr",
    "Don",
    "Ah",
    "Aye",
    "Perhaps",
    "Monday",
    "Sunday",
    "Saturday",
    "January",
    "May",
    "June",
    "English",
    "French",
    "London",
    "Heaven",
}


def pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def novels(pd: Path) -> list[tuple[str, str, str, list[str]]]:
    """(slug, title, author, paragraphs) of every pd-fiction file, sorted by file name."""
    out = []
    for path in sorted(pd.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
        head = paragraphs[:3]
        title = head[0].title() if head else path.stem
        author = head[1] if len(head) > 1 and len(head[1]) < 60 else "Anonymous"
        out.append((path.stem, title[:80], author, paragraphs))
    return out


def cut(paragraphs: list[str], rng: random.Random, low: int, high: int) -> list[list[str]]:
    """Consecutive, non-overlapping runs of paragraphs of low..high words (the last short run dropped)."""
    pieces = []
    current: list[str] = []
    words = 0
    target = rng.randint(low, high)
    for para in paragraphs:
        current.append(para)
        words += len(para.split())
        if words >= target:
            pieces.append(current)
            current, words, target = [], 0, rng.randint(low, high)
    if words >= low:
        pieces.append(current)
    return pieces


def with_chapters(paragraphs: list[str], rng: random.Random) -> str:
    """The piece as text with a "Chapter N" heading every 800–2,500 words."""
    out = ["Chapter 1"]
    chapter, words, target = 1, 0, rng.randint(800, 2500)
    for para in paragraphs:
        if words >= target:
            chapter += 1
            out.append(f"Chapter {chapter}")
            words, target = 0, rng.randint(800, 2500)
        out.append(para)
        words += len(para.split())
    return "\n\n".join(out)


def chapters_of(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"^Chapter \d+$", text, flags=re.M) if c.strip()]


def top_names(text: str, n: int = 4) -> list[str]:
    counts = Counter(m for m in _NAME.findall(text) if m not in _NOT_NAMES)
    return [name for name, c in counts.most_common(n) if c >= 3]


def tags_for(text: str, fandom: str, rng: random.Random) -> dict:
    names = top_names(text)
    record = {
        "fandom": [fandom],
        "rating": pick(rng, RATINGS),
        "warnings": [pick(rng, WARNINGS)],
        "category": [pick(rng, CATEGORIES)],
        "characters": names,
        "additional_tags": sorted({pick(rng, ADDITIONAL) for _ in range(rng.randint(1, 4))}),
    }
    if len(names) >= 2:
        record["relationships"] = [f"{names[0]}{rng.choice(['/', ' & '])}{names[1]}"]
    return record


# --- planted near-duplicates ----------------------------------------------------------------


def rewrap(text: str) -> str:
    return "\n\n".join(textwrap.fill(p, 60) for p in text.split("\n\n"))


def reencode(text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return text.encode("utf-8").decode("cp1252", errors="replace")  # mojibake: â€™ for ’
    table = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "--", "–": "-", "…": "..."})
    folded = unicodedata.normalize("NFKD", text.translate(table))
    return "".join(c for c in folded if not unicodedata.combining(c))


def add_notes(text: str, rng: random.Random) -> str:
    before = rng.choice(
        [
            "A/N: Reposted from my old account. Thanks for reading!",
            "Author's Note: This is a repost, lightly formatted. Comments welcome.",
        ]
    )
    after = rng.choice(["End Notes: Thank you all for the kudos!", "A/N: More soon, I promise."])
    return f"{before}\n\n{text}\n\n{after}"


def edit(text: str, rate: float, rng: random.Random) -> str:
    """`rate` of the words edited in runs of 1–6: replaced, deleted or with words inserted."""
    paragraphs = [p.split() for p in text.split("\n\n")]
    vocabulary = [w for p in paragraphs for w in p]
    positions = [(i, j) for i, p in enumerate(paragraphs) for j in range(len(p))]
    target = int(rate * len(vocabulary))
    edited = 0
    marks: dict[tuple[int, int], str] = {}
    while edited < target:
        i, j = rng.choice(positions)
        run = rng.randint(1, 6)
        op = rng.random()
        for k in range(j, min(j + run, len(paragraphs[i]))):
            if op < 0.6:
                marks[(i, k)] = rng.choice(vocabulary)
            elif op < 0.8:
                marks[(i, k)] = ""
            else:
                marks[(i, k)] = paragraphs[i][k] + " " + " ".join(rng.choice(vocabulary) for _ in range(2))
            edited += 1
    out = []
    for i, p in enumerate(paragraphs):
        words = [marks.get((i, j), w) for j, w in enumerate(p)]
        out.append(" ".join(w for w in words if w))
    return "\n\n".join(out)


def truncate(text: str, share: float) -> str:
    paragraphs = text.split("\n\n")
    total = sum(len(p.split()) for p in paragraphs)
    kept, words = [], 0
    for p in paragraphs:
        if words >= share * total:
            break
        kept.append(p)
        words += len(p.split())
    return "\n\n".join(kept)


def insert_chapter(target: str, chapter: str, rng: random.Random) -> str:
    parts = chapters_of(target)
    at = rng.randint(1, max(1, len(parts)))
    parts.insert(at, chapter)
    return "\n\n".join(f"Chapter {n}\n\n{body}" for n, body in enumerate(parts, 1))


KINDS = ["repost", "rewrap", "reencode", "notes", "edited", "edited", "edited", "edited", "truncated", "chapter"]


def build_dup_set(books: list, rng: random.Random, n_plant: int) -> tuple[list[dict], list[dict]]:
    """(records, planted pairs) of one set."""
    records = []
    for slug, title, author, paragraphs in books:
        for n, piece in enumerate(cut(paragraphs, rng, 1000, 10000), 1):
            text = with_chapters(piece, rng)
            records.append(
                {
                    "id": f"{slug}-{n:02d}",
                    "title": f"{title}, part {n}",
                    "author": author,
                    "novel": slug,
                    "text": text,
                    **tags_for(text, title, rng),
                }
            )
    by_id = {r["id"]: r for r in records}
    order = [r["id"] for r in records]
    rng.shuffle(order)
    sources = order[:n_plant]
    spare = order[n_plant:]  # chapter-copy targets come from here, each used once
    truth, copies = [], []
    for n, source_id in enumerate(sources):
        kind = KINDS[n % len(KINDS)]
        src = by_id[source_id]
        copy = dict(src, id=f"copy-{n:03d}-{kind}", title=f"{src['title']} (repost)", author="someone else")
        detail = ""
        if kind == "rewrap":
            copy["text"] = rewrap(src["text"])
        elif kind == "reencode":
            copy["text"] = reencode(src["text"], rng)
        elif kind == "notes":
            copy["text"] = add_notes(src["text"], rng)
        elif kind == "edited":
            rate = rng.uniform(0.05, 0.30)
            copy["text"] = edit(src["text"], rate, rng)
            detail = f"{rate:.0%} of words edited"
        elif kind == "truncated":
            share = rng.uniform(0.4, 0.9)
            copy["text"] = truncate(src["text"], share)
            detail = f"first {share:.0%} kept"
        elif kind == "chapter":
            target_id = next(t for t in spare if by_id[t]["novel"] != src["novel"])
            spare.remove(target_id)
            chapter = rng.choice(chapters_of(src["text"]))
            target = by_id.pop(target_id)
            copy = dict(target, id=f"copy-{n:03d}-chapter", text=insert_chapter(target["text"], chapter, rng))
            detail = f"a chapter of {source_id} ({len(chapter.split())} words) copied into {target_id}"
        copies.append(copy)
        truth.append({"a": source_id, "b": copy["id"], "kind": kind, "detail": detail})
    return list(by_id.values()) + copies, truth


# --- analysis and database -----------------------------------------------------------------


def cheap_pov(analysis) -> None:
    """Point of view from pronoun counts outside quotations (regex, no parser): bench only."""
    from ficlens.narration import FIRST, FIRST_PLURAL, SECOND, THIRD, decide_pov

    first = second = third = 0.0
    total = 0
    for _, text in analysis.work.iter_story():
        narration = re.sub(r"[\"“][^\"”]*[\"”]", " ", text)
        for word in re.findall(r"[a-z']+", narration.lower()):
            total += 1
            first += (word in FIRST) + 0.5 * (word in FIRST_PLURAL)
            second += word in SECOND
            third += word in THIRD
    analysis.profile.narration.pov = decide_pov(first, second, third, total)[0]


def _record(line: tuple[int, str]):
    from ficlens.corpus import build_record
    from ficlens.pipeline import Pipeline
    from ficlens.read.jsonl import work_from_record
    from ficlens.stats import count_stats

    _, raw = line
    record = json.loads(raw)
    work = work_from_record(record, source=f"bench:{record['id']}", work_id=record["id"])
    profile = Pipeline(components=[("stats", count_stats), ("pov", cheap_pov)])(work)
    return build_record(profile, f"bench:{record['id']}")


def build_db(jsonl: Path, db: Path, jobs: int) -> float:
    from ficlens import Corpus

    start = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    lines = list(enumerate(jsonl.read_text(encoding="utf-8").splitlines()))
    with Corpus(db) as corpus, multiprocessing.Pool(jobs) as pool:
        batch = []
        for record in pool.imap(_record, lines, chunksize=8):
            batch.append(record)
            if len(batch) >= 200:
                corpus.add(batch)
                batch = []
        corpus.add(batch)
        corpus.conn.execute("INSERT INTO texts(texts) VALUES ('optimize')")
        corpus.conn.execute("INSERT INTO quote_texts(quote_texts) VALUES ('optimize')")
        corpus.conn.commit()
        corpus.conn.execute("ANALYZE")
    return time.perf_counter() - start


SIMILAR_NOVELS = (
    "10007_carmilla",
    "12_through_the_looking_glass_and_what_alice_found_there",
    "244_a_study_in_scarlet",
    "43_the_strange_case_of_dr_jekyll_and_mr_hyde",
)


def build_similar_db(books: list, db: Path) -> str:
    """The examples and three 3,000-word pieces of each of four novels, fully analysed (no tags
    added: what `similar` finds comes from the text and the characters ficlens finds)."""
    from ficlens import Corpus
    from ficlens.corpus import build_record
    from ficlens.pipeline import Pipeline
    from ficlens.read import iter_works
    from ficlens.read.jsonl import work_from_record

    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    pipeline = Pipeline()
    records = []
    for work in iter_works(ROOT / "examples"):
        if hasattr(work, "text"):
            records.append(build_record(pipeline(work), str(work.source)))
    for slug, title, author, paragraphs in books:
        if slug not in SIMILAR_NOVELS:
            continue
        pieces = cut(paragraphs[len(paragraphs) // 10 :], random.Random(slug), 3000, 3000)
        for n in (0, 2, 4):
            record = {
                "id": f"{slug}-{n}",
                "title": f"{title}, part {n + 1}",
                "author": author,
                "text": "\n\n".join(pieces[n]),
            }
            work = work_from_record(record, source=f"bench:{record['id']}", work_id=record["id"])
            records.append(build_record(pipeline(work), f"bench:{record['id']}"))
    with Corpus(db) as corpus:
        corpus.add(records)
    return f"{len(records)} works → {db}"


def write_jsonl(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({k: v for k, v in r.items() if k != "novel"}, ensure_ascii=False) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["dups", "latency", "similar"])
    parser.add_argument("--pd", type=Path, default=PD, help="the pd-fiction folder")
    parser.add_argument("--out", type=Path, default=Path("/tmp/search-bench"), help="dups: output folder")
    parser.add_argument("--db", type=Path, default=Path("/tmp/search10k.db"), help="latency: the database")
    parser.add_argument("--works", type=int, default=10_000, help="latency: how many works")
    parser.add_argument("--plant", type=int, default=100, help="dups: planted near-duplicates per set")
    parser.add_argument("--books", type=int, default=60, help="dups: novels per set")
    parser.add_argument("--similar-db", type=Path, default=Path("/tmp/search-similar.db"), help="similar: the database")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    if not args.pd.is_dir():
        print(f"{args.pd}: no pd-fiction corpus here (it lives in ../shared)", file=sys.stderr)
        return 2
    books = novels(args.pd)
    if args.what == "dups":
        args.out.mkdir(parents=True, exist_ok=True)
        for split, part in (("tune", books[0::2]), ("check", books[1::2])):
            rng = random.Random(f"{args.seed}-{split}")
            records, truth = build_dup_set(part[: args.books], rng, args.plant)
            folder = args.out / split
            folder.mkdir(exist_ok=True)
            write_jsonl(folder / "works.jsonl", records)
            (folder / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
            seconds = build_db(folder / "works.jsonl", folder / "works.db", args.jobs)
            words = sum(len(r["text"].split()) for r in records)
            print(
                f"{split}: {len(records)} works, {words:,} words, {len(truth)} planted pairs → "
                f"{folder / 'works.db'} in {seconds:.0f} s"
            )
    elif args.what == "similar":
        print(f"similar: {build_similar_db(books, args.similar_db)}")
    else:
        rng = random.Random(f"{args.seed}-latency")
        records = []
        for slug, title, author, paragraphs in books:
            for n, piece in enumerate(cut(paragraphs, rng, 600, 3000), 1):
                text = with_chapters(piece, rng)
                records.append(
                    {
                        "id": f"{slug}-{n:03d}",
                        "title": f"{title}, part {n}",
                        "author": author,
                        "text": text,
                        **tags_for(text, title, rng),
                    }
                )
        rng.shuffle(records)
        records = records[: args.works]
        jsonl = args.db.with_suffix(".jsonl")
        write_jsonl(jsonl, records)
        seconds = build_db(jsonl, args.db, args.jobs)
        words = sum(len(r["text"].split()) for r in records)
        print(f"latency: {len(records)} works, {words:,} words → {args.db} in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
