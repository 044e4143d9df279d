"""Memory and speed of reading a large plain-text work: decode, repair mojibake, split into parts.

    python bench/memory_split.py [--mb 50] [--keep FILE]
    /usr/bin/time -v .venv/bin/python bench/memory_split.py --mb 50   # "Maximum resident set size"

The text is generated (fixed seed) and written to disk in small pieces, so the generator itself
adds almost nothing to the peak; then the file is read the way `ficlens.read` reads one.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from ficlens.read.text import read_text_bytes  # noqa: E402

_WORDS = (
    "the a she he they it was had said looked turned walked across room door window light dark "
    "quiet voice hand hands eyes smile breath cold warm slowly again never always before after "
    "into over under through ship station river garden letter morning evening storm lantern "
    "remember wanted thought knew asked answered waited laughed whispered"
).split()
_NAMES = ("Mira", "Tobin", "Asha", "Corvin", "Lio", "Wren")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 16))]
    words[0] = rng.choice(_NAMES)
    return " ".join(words) + "."


def _paragraph(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        said = (
            f"\u201c{_sentence(rng)[:-1]},\u201d {rng.choice(_NAMES)} said. \u201cIt\u2019s {rng.choice(_WORDS)}.\u201d"
        )
        return said + " " + _sentence(rng)
    if roll < 0.351:
        # a line of classic mojibake: UTF-8 curly quotes read as cp1252
        return f"{rng.choice(_NAMES)} said it wasn\u00e2\u20ac\u2122t \u00e2\u20ac\u0153over\u00e2\u20ac\ufffd yet."
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))


def generate(path: Path, megabytes: float, seed: int = 7) -> int:
    """Write a many-chapter text of about `megabytes` MB; returns its size in bytes."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    written = 0
    chapter = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("Title: A Benchmark of Lanterns\nAuthor: nobody\n\n")
        while written < target:
            chapter += 1
            lines = [f"Chapter {chapter}: The {rng.choice(_WORDS).title()} {rng.choice(_WORDS).title()}", ""]
            if chapter % 5 == 0:
                lines += ["A/N: thank you for reading this far!", ""]
            for _ in range(rng.randint(40, 120)):
                lines += [_paragraph(rng), ""]
            if chapter % 3 == 0:
                lines += ["A/N: the next chapter is shorter, sorry.", ""]
            block = "\n".join(lines) + "\n"
            out.write(block)
            written += len(block.encode("utf-8"))
    return path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the generated text in MB")
    parser.add_argument("--keep", type=Path, help="write the text here and keep it")
    args = parser.parse_args()

    if args.keep:
        path = args.keep
    else:
        handle, name = tempfile.mkstemp(suffix=".txt", prefix="ficlens-bench-")
        os.close(handle)
        path = Path(name)
    try:
        size = generate(path, args.mb)
        started = time.perf_counter()
        data = path.read_bytes()
        work = read_text_bytes(data, source=str(path), work_id="bench")
        seconds = time.perf_counter() - started
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
    kinds: dict[str, int] = {}
    for part in work.parts:
        kinds[part.kind] = kinds.get(part.kind, 0) + 1
    print(f"bytes: {size:,}  chars: {len(work.text):,}  repaired: {work.source_text is not None}")
    print(f"parts: {len(work.parts):,}  {kinds}  chapters: {max((p.chapter or 0) for p in work.parts)}")
    print(f"read+decode+split: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
