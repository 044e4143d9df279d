"""CPU time of a cold `load_kb()` in a fresh process, median of 5 runs.

Usage: .venv/bin/python bench/kb_load.py [--yaml]   (--yaml: ignore the bundle, parse every file)
"""

from __future__ import annotations

import statistics
import subprocess
import sys

CHILD = """
import time, sys
from ficlens import kb
if sys.argv[1] == "yaml":
    kb.read_bundle = lambda: None
start = time.process_time()
k = kb.load_kb()
print(time.process_time() - start, len(k.fandoms))
"""


def main() -> None:
    mode = "yaml" if "--yaml" in sys.argv else "bundle"
    times, fandoms = [], 0
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", CHILD, mode], check=True, capture_output=True, text=True)
        seconds, fandoms = out.stdout.split()
        times.append(float(seconds))
    print(f"load_kb ({mode}): median CPU {statistics.median(times):.3f} s over 5 fresh processes, {fandoms} fandoms")


if __name__ == "__main__":
    main()
