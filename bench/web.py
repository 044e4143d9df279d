"""Page times of the web app (issue #16: both under 300 ms on this machine).

    python bench/web.py [--repeat 30]
        [--novel ../shared/corpus/pd-fiction/165_mcteague.txt] [--words 100000]
        [--search-db /tmp/search10k.db]

1. The reader (`/works/ID`) of a 100,000-word work: the first `--words` words of a pd-fiction
   novel (cut at a paragraph end), analysed once into /tmp/ficlens-bench-web/novel-<words>.db
   (kept for later runs; analysing takes a few minutes).
2. A faceted search page (`/?q=…` with the eight facets the page shows, counted over all hits,
   one fandom filter and snippets) on a 10,000-work database: the SEARCH benchmark's
   /tmp/search10k.db (`python bench/build_search_corpus.py latency`).

A real `uvicorn` server runs in a thread on a free localhost port, as `ficlens serve` runs it;
each URL is fetched over HTTP `--repeat` times after two warm-up requests, and the script prints
the median and p95 wall time per page, the median CPU time of the process (server thread and
client: what the page costs on an idle machine, when the team's other jobs inflate wall times),
the page's size, and `uptime`'s load average.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from typing import Self

import ficlens
from ficlens.web import create_app

CACHE = Path("/tmp/ficlens-bench-web")
GOAL_MS = 300
SEARCHES = ["love", '"I love you"', "whisper*", "storm OR tempest", "dark night", "(king OR queen) AND castle"]


def novel_db(novel: Path, words: int) -> tuple[Path, int]:
    """The database holding the novel's first `words` words, built once."""
    CACHE.mkdir(exist_ok=True)
    db = CACHE / f"novel-{words}.db"
    if db.exists():
        with ficlens.Corpus(db, readonly=True) as corpus:
            work = next(corpus.works())
            return db, work.id
    text = novel.read_text(encoding="utf-8")
    ends = [m.end() for m in re.finditer(r"\S+", text)]
    cut = text.find("\n\n", ends[min(words, len(ends)) - 1]) if len(ends) > words else len(text)
    work = ficlens.read_text(text[: cut if cut > 0 else len(text)], work_id=novel.stem, title=novel.stem)
    print(f"analysing {novel.name}: {len(ends[:words]):,} words (once; cached in {db}) …", flush=True)
    started = time.perf_counter()
    from ficlens.corpus.rows import build_record

    profile = ficlens.Pipeline()(work)
    partial = db.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with ficlens.Corpus(partial) as corpus:
        corpus.add([build_record(profile, str(novel))])
    partial.rename(db)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    print(f"  analysed in {time.perf_counter() - started:.0f} s", flush=True)
    with ficlens.Corpus(db, readonly=True) as corpus:
        return db, next(corpus.works()).id


class Server:
    """uvicorn serving the app in a thread, on a free port."""

    def __init__(self, db: Path):
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def fetch(url: str) -> tuple[float, float, int]:
    """(wall ms, CPU ms of this process — server thread and client together —, bytes)."""
    started, cpu = time.perf_counter(), time.process_time()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000, len(body)


def measure(server: Server, path: str, repeat: int) -> tuple[float, float, float, int]:
    """Median and p95 wall time, median CPU time, page size."""
    for _ in range(2):
        fetch(server.url(path))
    times, cpus, size = [], [], 0
    for _ in range(repeat):
        ms, cpu, size = fetch(server.url(path))
        times.append(ms)
        cpus.append(cpu)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, statistics.median(cpus), size


def report(label: str, median: float, p95: float, cpu: float, size: int | None = None) -> bool:
    ok = p95 < GOAL_MS
    extra = f", {size / 1e6:.2f} MB" if size is not None else ""
    print(
        f"  {label:52} median {median:6.1f} ms  p95 {p95:6.1f} ms  (CPU {cpu:5.1f} ms){extra}  "
        f"{'OK' if ok else 'OVER'} (goal < {GOAL_MS} ms)"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--novel", type=Path, default=ROOT.parent / "shared/corpus/pd-fiction/165_mcteague.txt")
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--search-db", type=Path, default=Path("/tmp/search10k.db"))
    args = parser.parse_args()
    ok = True
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")

    if args.novel.exists():
        db, work = novel_db(args.novel, args.words)
        with ficlens.Corpus(db, readonly=True) as corpus:
            summary = corpus.work(work)
            profile = corpus.profile(work)
        print(
            f"reader: {summary.words:,} story words, {summary.chapters} chapters, {len(profile['quotes']):,} "
            f"quotations, {len(profile['mentions']):,} mentions ({db})"
        )
        with Server(db) as server:
            ok &= report(f"GET /works/{work} (the reader)", *measure(server, f"/works/{work}", args.repeat))
            for kind in ("presence", "speaking", "network", "conversation"):
                first, _, _ = fetch(server.url(f"/works/{work}/plots/{kind}.svg"))
                median, p95, _, _ = measure(server, f"/works/{work}/plots/{kind}.svg", 5)
                print(
                    f"  GET /works/{work}/plots/{kind}.svg (an image, loaded after the page): first {first:.0f} ms, "
                    f"then from the cache median {median:.1f} ms"
                )
    else:
        print(f"reader: skipped, {args.novel} not found (../shared is optional)")
        ok = False

    if args.search_db.exists():
        with ficlens.Corpus(args.search_db, readonly=True) as corpus:
            works = len(corpus)
            fandom = corpus.sql(
                "SELECT tag, count(*) n FROM tags WHERE kind = 'fandom' GROUP BY tag ORDER BY n DESC LIMIT 1"
            )
        print(f"faceted search: {works:,} works ({args.search_db}), 8 facets over all hits, first page of 20")
        with Server(args.search_db) as server:
            every: list[float] = []
            for q in SEARCHES:
                params = {"q": q}
                if fandom:
                    params["fandom"] = fandom[0]["tag"]
                for label, query in ((f"/?q={q}", {"q": q}), (f"/?q={q}&fandom=…", params)):
                    median, p95, cpu, size = measure(server, "/?" + urllib.parse.urlencode(query), args.repeat)
                    every.append(p95)
                    ok &= report(f"GET {label}", median, p95, cpu, size)
            first, _, _ = fetch(server.url("/"))
            print(
                f"  GET / (browse: no query, every work, 8 facets): first {first:.0f} ms, then kept until the "
                "database changes:"
            )
            ok &= report("GET / (again)", *measure(server, "/", args.repeat))
            print(f"  worst p95 over the {len(every)} search pages: {max(every):.1f} ms")
    else:
        print(f"faceted search: skipped, {args.search_db} not found (python bench/build_search_corpus.py latency)")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
