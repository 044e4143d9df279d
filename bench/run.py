"""`make bench`: ficlens throughput against spaCy alone, time per pipeline step, and peak memory.

    python bench/run.py [--words 100000] [--novel-words 1000000] [--skip-memory] [--skip-novel]

First `ficlens analyze` of a 122,000-word novel against spaCy alone, process against process
(bench/novel_speed.py, issue #17's figure); then the in-process comparison below.

Text: the PDNC novels in ../shared/eval/pdnc-dev when present (real prose with dialogue), else
the bundled examples repeated. The same text, cut into the same chunks, is parsed by the spaCy
pipeline alone and analysed by ficlens in one process, so the ratio compares like with like.
Peak memory is measured in a child process analysing a ~1M-word novel (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Pipeline steps that make tags (issue #5): their share of analysis time is reported on its own.
TAGGING_STEPS = (
    "reader_gender",
    "rating",
    "warnings",
    "relationships",
    "relationship_tags",
    "categories",
    "fandom_tags",
    "narration_tags",
    "additional_tags",
    "audit",
)
PDNC = ROOT.parent / "shared" / "eval" / "pdnc-dev"


def corpus_text(words: int) -> tuple[str, str]:
    """About `words` words of fiction, and where they came from."""
    pieces, count = [], 0
    sources = sorted(PDNC.glob("*/novel_text.txt")) if PDNC.is_dir() else []
    label = "PDNC novels" if sources else "bundled examples (repeated)"
    if not sources:
        sources = sorted((ROOT / "examples").glob("*.txt"))
    while count < words:
        for path in sources:
            text = path.read_text(encoding="utf-8")
            pieces.append(text)
            count += len(text.split())
            if count >= words:
                break
    text = "\n\n".join(pieces)
    return text, label


def throughput(words: int) -> dict:
    from ficlens.model import Part, Work
    from ficlens.nlp import split_for_parsing
    from ficlens.pipeline import Pipeline

    text, label = corpus_text(words)
    work = Work(id="bench", text=text, parts=[Part("body", 0, len(text), chapter=1)])
    pipeline = Pipeline()
    parser = pipeline.resources.parser
    nlp = parser.nlp
    list(nlp.pipe(["Warm up the model."]))
    pieces = [p for _, p in split_for_parsing(text, 0, parser.max_chunk_chars)]

    def spacy_alone() -> float:
        started = time.perf_counter()
        for _ in nlp.pipe(pieces, batch_size=parser.batch_size):
            pass
        return time.perf_counter() - started

    spacy_before = spacy_alone()

    step_seconds: dict[str, float] = {}
    timed = []
    for name, component in pipeline.components:

        def run(analysis, component=component, name=name):
            t0 = time.perf_counter()
            component(analysis)
            step_seconds[name] = step_seconds.get(name, 0.0) + time.perf_counter() - t0

        timed.append((name, run))
    timed_pipeline = Pipeline(timed)
    timed_pipeline.resources = pipeline.resources
    started = time.perf_counter()
    profile = timed_pipeline(work)
    full_seconds = time.perf_counter() - started
    # spaCy alone is timed before and after ficlens, so a machine that gets busier or quieter
    # during the run does not favour either side.
    spacy_seconds = (spacy_before + spacy_alone()) / 2
    n_words = profile.stats.words
    return {
        "text": label,
        "words": n_words,
        "spacy_words_per_second": round(n_words / spacy_seconds),
        "ficlens_words_per_second": round(n_words / full_seconds),
        "ratio": round(spacy_seconds / full_seconds, 3),
        "attribution_share": round(
            (step_seconds.get("speakers", 0) + step_seconds.get("quote_pronouns", 0)) / full_seconds, 3
        ),
        "tagging_share": round(sum(step_seconds.get(name, 0) for name in TAGGING_STEPS) / full_seconds, 3),
        "step_seconds": {k: round(v, 2) for k, v in step_seconds.items()},
    }


def peak_memory(words: int) -> dict:
    text, label = corpus_text(words)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "novel.txt"
        path.write_text(text, encoding="utf-8")
        code = (
            "import sys, ficlens; p = ficlens.analyze(sys.argv[1]); "
            "print(p.stats.words, len(p.mentions), len(p.quotes))"
        )
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    n_words, n_mentions, n_quotes = (int(x) for x in out.stdout.split())
    return {
        "text": label,
        "words": n_words,
        "mentions": n_mentions,
        "quotes": n_quotes,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_kb / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--novel-words", type=int, default=1_000_000)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-novel", action="store_true", help="skip the 122,000-word novel against spaCy")
    args = parser.parse_args()
    if not args.skip_novel:
        from novel_speed import measure  # bench/ is on sys.path when a script runs

        print(json.dumps({"novel_vs_spacy": measure()}, indent=2), flush=True)
    results = {"throughput": throughput(args.words)}
    print(json.dumps(results, indent=2), flush=True)
    if not args.skip_memory:
        results["memory"] = peak_memory(args.novel_words)
        print(json.dumps({"memory": results["memory"]}, indent=2))


if __name__ == "__main__":
    main()
