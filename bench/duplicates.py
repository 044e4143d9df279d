"""Near-duplicate detection against the planted pairs of bench/build_search_corpus.py.

    python bench/build_search_corpus.py dups            # once: /tmp/search-bench/{tune,check}
    python bench/duplicates.py [--out /tmp/search-bench] [--threshold T] [--sweep] [--db FILE]

For each set: precision and recall of the pairs `ficlens duplicates` reports at the threshold
(a pair is right when it is a planted pair), recall per planted kind, how the found pairs were
labelled, and the time `find_duplicates` took. `--sweep` shows other thresholds, on the tune set
only; the errors of the check set are counted, never listed. `--db` also times a database
without ground truth (e.g. /tmp/search10k.db).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ficlens import Corpus  # noqa: E402
from ficlens.corpus.duplicates import DEFAULT_THRESHOLD, candidate_pairs, verify  # noqa: E402


def evaluate(folder: Path, thresholds: list[float], show_errors: bool) -> None:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    with Corpus(folder / "works.db", readonly=True) as corpus:
        ids = {w.work_id: w.id for w in corpus.works()}
        names = {v: k for k, v in ids.items()}
        planted = {frozenset((ids[t["a"]], ids[t["b"]])): t for t in truth}
        start = time.perf_counter()
        candidates = candidate_pairs(corpus)
        low = min(thresholds)
        found_all = verify(corpus, candidates, low)
        seconds = time.perf_counter() - start
        print(
            f"{folder.name}: {len(corpus)} works, {len(truth)} planted pairs, {len(candidates):,} candidate pairs; "
            f"candidates + verification {seconds:.1f} s"
        )
        covered = sum(1 for pair in planted if tuple(sorted(pair)) in candidates)
        print(f"  planted pairs among the LSH candidates: {covered}/{len(planted)}")
        for threshold in thresholds:
            found = [p for p in found_all if max(p.containment_a_in_b, p.containment_b_in_a) >= threshold]
            hits = [p for p in found if frozenset((p.a, p.b)) in planted]
            precision = len(hits) / len(found) if found else 1.0
            recall = len(hits) / len(planted)
            print(
                f"  threshold {threshold:g}: {len(found)} pairs reported, precision {precision:.3f}, "
                f"recall {recall:.3f}"
            )
            if threshold != thresholds[0]:
                continue
            got = {frozenset((p.a, p.b)): p for p in hits}
            by_kind: Counter[str] = Counter()
            kind_total: Counter[str] = Counter(t["kind"] for t in truth)
            labels: Counter[tuple[str, str]] = Counter()
            for pair, t in planted.items():
                if pair in got:
                    by_kind[t["kind"]] += 1
                    labels[(t["kind"], got[pair].kind)] += 1
            print(
                "  recall by planted kind: "
                + ", ".join(f"{k} {by_kind[k]}/{kind_total[k]}" for k in sorted(kind_total))
            )
            print(
                "  labels given (planted → reported): "
                + ", ".join(f"{a} → {b}: {n}" for (a, b), n in sorted(labels.items()))
            )
            chapter = [t for pair, t in planted.items() if t["kind"] == "chapter"]
            chapter_found = [t for pair, t in planted.items() if t["kind"] == "chapter" and pair in got]
            print(f"  containment (a chapter copied into another work): {len(chapter_found)}/{len(chapter)} found")
            if show_errors:
                for pair, t in planted.items():
                    if pair not in got:
                        print(f"    missed: {t['a']} ~ {t['b']} ({t['kind']} {t['detail']})")
                for p in found:
                    if frozenset((p.a, p.b)) not in planted:
                        print(
                            f"    false: {names[p.a]} ~ {names[p.b]} {p.kind} J={p.jaccard} "
                            f"{p.containment_a_in_b}/{p.containment_b_in_a} shared={p.shared_shingles}"
                        )


def time_db(path: Path, threshold: float) -> None:
    with Corpus(path, readonly=True) as corpus:
        start = time.perf_counter()
        groups = corpus.duplicates(threshold=threshold)
        seconds = time.perf_counter() - start
        pairs = sum(len(g.pairs) for g in groups)
        print(f"{path}: {len(corpus)} works; duplicates in {seconds:.1f} s: {len(groups)} groups, {pairs} pairs")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("/tmp/search-bench"))
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--sweep", action="store_true", help="tune set: also other thresholds, and list its errors")
    parser.add_argument("--db", type=Path, action="append", default=[], help="also time duplicates on this database")
    args = parser.parse_args()
    sweep = [args.threshold, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3]
    for split in ("tune", "check"):
        folder = args.out / split
        if not (folder / "works.db").exists():
            print(f"{folder}: not built (python bench/build_search_corpus.py dups)", file=sys.stderr)
            return 2
        tuning = args.sweep and split == "tune"
        evaluate(folder, sweep if tuning else [args.threshold], show_errors=tuning)
    for path in args.db:
        time_db(path, args.threshold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
