"""`make bench-corpus`: how fast `ficlens index` fills a corpus database, and what it costs.

    python bench/corpus.py [--pieces 80] [--piece-words 5000] [--rerun-works 1000] [--skip-dask]

Text: a fixed slice of ../shared/corpus/pd-fiction (public-domain novels): the novels in name
order, each cut at paragraph breaks into pieces of about `--piece-words` words, at most two
pieces per novel, `--pieces` pieces in all (written once to a cache directory). Each
configuration — `-j 1`, `-j 2`, `--engine dask` on a 2-worker LocalCluster — indexes the same
pieces with the full pipeline into a fresh database. Reported per run: works/s and words/s
(wall clock, including the workers' start and spaCy load) and words per CPU-second of the
workers (what one core does, however busy the machine is with other work), the writer's time inside its
transactions as a share of the run, each worker's peak RSS (ru_maxrss) and the database size
per million words; then the -j 2 / -j 1 ratio, and the load average (other work on the machine
skews every figure: read them with it).

The re-run figure: `--rerun-works` tiny generated texts (two sentences each, written here) are
indexed once with the stats-only pipeline, then `ficlens index DIR --db DB` (default pipeline)
runs again as a subprocess over the unchanged files; its wall time is what is reported. Nothing
is analysed in that re-run, so the texts' size does not matter, only their number.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PD = ROOT.parent / "shared" / "corpus" / "pd-fiction"
sys.path.insert(0, str(ROOT / "src"))

from ficlens.corpus import Corpus  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def make_pieces(dest: Path, pieces: int, piece_words: int) -> list[Path]:
    """The fixed slice: novels in name order, ≤ 2 pieces of ~piece_words words from each."""
    marker = dest / ".complete"
    if marker.exists():
        return sorted(dest.glob("*.txt"))
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for novel in sorted(PD.glob("*.txt")):
        paragraphs = re.split(r"\n\s*\n", novel.read_text(encoding="utf-8", errors="replace"))
        current: list[str] = []
        taken = 0
        for paragraph in paragraphs[len(paragraphs) // 10 :]:  # past the front matter
            current.append(paragraph)
            if sum(len(p.split()) for p in current) >= piece_words:
                path = dest / f"{novel.stem}-{taken}.txt"
                path.write_text("\n\n".join(current) + "\n", encoding="utf-8")
                written.append(path)
                current, taken = [], taken + 1
                if taken == 2 or len(written) == pieces:
                    break
        if len(written) == pieces:
            break
    marker.write_text("")
    return sorted(written)


def db_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def run(pieces_dir: Path, work_dir: Path, label: str, **options) -> dict:
    db = work_dir / f"{label.replace(' ', '_')}.db"
    before = load()
    with Corpus(db) as corpus:
        report = corpus.index([str(pieces_dir)], **options)
        corpus.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {
        "label": label, "works": report.analysed, "failed": report.failed, "words": report.words,
        "seconds": report.seconds, "works_s": report.analysed / report.seconds,
        "words_s": report.words_per_second, "words_cpu_s": report.words / report.cpu_seconds,
        "write_share": report.write_seconds / report.seconds,
        "rss_mb": sorted(v / 1e6 for v in report.worker_rss.values()),
        "db_mb_per_mwords": db_bytes(db) / 1e6 / (report.words / 1e6), "load": f"{before} → {load()}",
    }  # fmt: skip


def rerun(work_dir: Path, works: int) -> tuple[float, str]:
    sys.path.insert(0, str(ROOT / "tests"))
    from corpus_inputs import STATS, tiny_works

    inputs = work_dir / "tiny"
    tiny_works(inputs, works)
    db = work_dir / "tiny.db"
    with Corpus(db) as corpus:
        first = corpus.index([str(inputs)], pipeline=STATS)
    assert first.analysed == works, first.summary()
    ficlens = Path(sys.executable).parent / "ficlens"
    start = time.perf_counter()
    proc = subprocess.run([str(ficlens), "index", str(inputs), "--db", str(db)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"re-run failed: {proc.stderr}")
    return seconds, proc.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pieces", type=int, default=80)
    parser.add_argument("--piece-words", type=int, default=5000)
    parser.add_argument("--rerun-works", type=int, default=1000)
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--only", choices=["j1", "j2", "dask", "rerun"], action="append")
    args = parser.parse_args()
    only = set(args.only or ["j1", "j2", "dask", "rerun"]) - ({"dask"} if args.skip_dask else set())

    rows = []
    with tempfile.TemporaryDirectory(prefix="ficlens-bench-") as tmp:
        work_dir = Path(tmp)
        if only - {"rerun"}:
            if not PD.is_dir():
                raise SystemExit(f"{PD} not found: the corpus benchmark needs ../shared/corpus/pd-fiction")
            cache = Path(tempfile.gettempdir()) / f"ficlens-bench-pieces-{args.pieces}x{args.piece_words}"
            pieces = make_pieces(cache, args.pieces, args.piece_words)
            print(f"slice: {len(pieces)} pieces of ~{args.piece_words:,} words from {PD} (cached in {cache})")
            if "j1" in only:
                rows.append(run(cache, work_dir, "-j 1", jobs=1))
            if "j2" in only:
                rows.append(run(cache, work_dir, "-j 2", jobs=2))
            if "dask" in only:
                rows.append(run(cache, work_dir, "dask 2 workers", jobs=2, engine="dask"))
        rerun_result = rerun(work_dir, args.rerun_works) if "rerun" in only else None

    if rows:
        print(
            "\n| run | works | words | seconds | works/s | words/s | words per worker CPU-s | writer share | peak RSS per worker (MB) "
            "| DB MB per M words | load (1/5/15 min) before → after |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            rss = ", ".join(f"{v:,.0f}" for v in r["rss_mb"])
            print(
                f"| {r['label']} | {r['works']} | {r['words']:,} | {r['seconds']:.1f} | {r['works_s']:.2f} "
                f"| {r['words_s']:,.0f} | {r['words_cpu_s']:,.0f} | {r['write_share']:.2%} | {rss} | {r['db_mb_per_mwords']:.1f} "
                f"| {r['load']} |"
            )
        by = {r["label"]: r for r in rows}
        if "-j 1" in by and "-j 2" in by:
            print(f"\n-j 2 / -j 1 words/s: {by['-j 2']['words_s'] / by['-j 1']['words_s']:.2f} (goal ≥ 1.8)")
        if "-j 1" in by:
            print(
                f"per-core throughput (-j 1): {by['-j 1']['words_s']:,.0f} words/s wall clock, "
                f"{by['-j 1']['words_cpu_s']:,.0f} words per CPU-second"
            )
    if rerun_result:
        seconds, summary = rerun_result
        print(
            f"\nre-run over {args.rerun_works:,} unchanged works (subprocess `ficlens index`, wall clock): "
            f"{seconds:.2f} s (goal < 5 s)\n  {summary}"
        )
    print(f"load average now: {load()}")


if __name__ == "__main__":
    main()
