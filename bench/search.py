"""Search latency on a large corpus database (issue #14: p95 under 100 ms at 10,000 works).

    python bench/build_search_corpus.py latency          # once: /tmp/search10k.db
    python bench/search.py [--db /tmp/search10k.db] [--repeat 20]

Ten typical queries, each run plain, with filters (a fandom, two ratings and a length range),
and with four facets counted over all hits; each `--repeat` times after one warm-up run, through
`Corpus.search` (what the CLI and the web app call), first page of 20 with snippets. Prints the
median and p95 per query and mode, and over everything, of the wall-clock time and of the
process's CPU time (SQLite runs in the process, so on a machine busy with other work the CPU
time is close to what the wall-clock time would be on an idle one; the load average is printed).
A last line times the worst case, a word in every work ("the"), which is not one of the ten.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ficlens import Corpus  # noqa: E402
from ficlens.corpus.search import SearchFilters  # noqa: E402

QUERIES = [
    "lighthouse",
    "love",
    '"I love you"',
    "whisper*",
    "storm OR tempest",
    "ship NOT sea",
    "dark night",
    '"said the old man"',
    "NEAR(letter burned, 10)",
    "(king OR queen) AND castle",
]
FACETS = ("fandom", "rating", "character", "tag")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("/tmp/search10k.db"))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if not args.db.exists():
        print(f"{args.db}: build it with python bench/build_search_corpus.py latency", file=sys.stderr)
        return 2
    with Corpus(args.db, readonly=True) as corpus:
        n_works = len(corpus)
        words = corpus.sql("SELECT sum(words) AS w FROM works")[0]["w"]
        fandom = corpus.sql("SELECT tag FROM tags WHERE kind = 'fandom' GROUP BY tag ORDER BY count(*) DESC LIMIT 1")
        filters = SearchFilters(
            fandom=[fandom[0]["tag"]] if fandom else [],
            rating=["General Audiences", "Teen And Up Audiences"],
            words=(1000, 3000),
        )
        modes = {"plain": {}, "filters": {"filters": filters}, "facets": {"facets": FACETS}}
        print(
            f"{args.db}: {n_works:,} works, {words:,} words; {args.repeat} runs each, first page of 20; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print(f"{'query':34} {'mode':8} {'hits':>6} {'median ms':>10} {'p95 ms':>8} {'cpu median':>11} {'cpu p95':>8}")
        everything: dict[str, list[float]] = {m: [] for m in modes}
        cpu_all: dict[str, list[float]] = {m: [] for m in modes}
        for query in QUERIES:
            for mode, options in modes.items():
                corpus.search(query, **options)  # warm-up
                times, cpu = [], []
                for _ in range(args.repeat):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    result = corpus.search(query, **options)
                    times.append((time.perf_counter() - start) * 1000)
                    cpu.append((time.process_time() - start_cpu) * 1000)
                everything[mode] += times
                cpu_all[mode] += cpu
                print(
                    f"{query:34} {mode:8} {result.total:6} {statistics.median(times):10.1f} {p95(times):8.1f} "
                    f"{statistics.median(cpu):11.1f} {p95(cpu):8.1f}"
                )
        for mode, times in everything.items():
            print(
                f"all ten, {mode:8}: median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms; "
                f"CPU median {statistics.median(cpu_all[mode]):.1f} ms, p95 {p95(cpu_all[mode]):.1f} ms"
            )
        every = [t for times in everything.values() for t in times]
        every_cpu = [t for times in cpu_all.values() for t in times]
        print(
            f"all ten, all modes: median {statistics.median(every):.1f} ms, p95 {p95(every):.1f} ms; "
            f"CPU median {statistics.median(every_cpu):.1f} ms, p95 {p95(every_cpu):.1f} ms"
        )
        worst = []
        for _ in range(5):
            start = time.perf_counter()
            result = corpus.search("the", facets=FACETS)
            worst.append((time.perf_counter() - start) * 1000)
        print(f"worst case 'the' with facets: {result.total} hits, median {statistics.median(worst):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
