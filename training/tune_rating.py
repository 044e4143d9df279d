"""Tune the rating thresholds on the tune part of ao3-dev (issue #18): one command, reproducible.

    PYTHONPATH=src python training/tune_rating.py /work/shared/eval/ao3-dev [--cache DIR]

Step 1 runs the full pipeline once over the tune works and caches, per work, the story scan the
rating judges (lexicon hits, words, dialogue spans) and the author's rating, in `--cache` (outside
the repository: the scans hold third-party text, which must never be committed). Step 2 re-judges
every cached scan under a small grid of `RatingSettings` values and prints the exact / within-one
agreement of each, best first. Only a handful of thresholds is searched — calibration, not fitting —
and a value is kept in `RatingSettings` only if the check part does not drop (measured separately
with `ficlens eval tags ... --split check`).
"""

from __future__ import annotations

import argparse
import itertools
import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np

from ficlens.analysis import Analysis
from ficlens.errors import FiclensError
from ficlens.eval.split import in_split
from ficlens.eval.tags import RATING_LEVELS, tag_key, tagged_files
from ficlens.model import Profile
from ficlens.pipeline import shared_pipeline
from ficlens.read import read
from ficlens.tags.lexicon import story_scan
from ficlens.tags.rating import DEFAULTS, judge_all, judge_profanity, judge_sexual, judge_violence

# The thresholds searched, per judgement, and the values tried (the defaults are always among
# them). The work's level is the highest of the three judgements, so each judgement's levels are
# computed once per value combination of its own thresholds and the combinations then crossed.
GRID: dict[str, dict[str, tuple[float, ...]]] = {
    "sexual": {
        "explicit_scene": (6.0, 8.0, 10.0),
        "mature_scene": (4.0, 5.0, 6.0),
        "teen_scene": (1.0, 2.0, 3.0, 4.0),
    },
    "profanity": {
        "strong_teen": (1, 2, 3),
        "strong_teen_density": (0.0, 0.5, 1.0),
        "mild_teen": (2, 3, 4),
        "mild_teen_density": (1.0, 2.0),
        "strong_mature_density": (2.5, 3.5, 5.0),
    },
    "violence": {
        "violence_teen_serious": (2, 3, 4, 6),
        "violence_teen_weight": (3.0, 5.0, 8.0, 12.0),
        "violence_teen_density": (0.0, 1.0, 2.0, 4.0, 6.0),
    },
}
JUDGES = {"sexual": judge_sexual, "profanity": judge_profanity, "violence": judge_violence}


def cache_scans(directory: Path, cache: Path, split: str) -> list[tuple[str, int, object]]:
    """(work id, author's rating level, story scan) of every rated work of `split`, cached."""
    path = cache / f"rating-scans-{split}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    pipeline = shared_pipeline()
    rows, extra = [], []
    for file in tagged_files(directory):
        if not in_split(file.stem, split):
            continue
        try:
            work = read(file)
        except FiclensError:
            continue
        level = RATING_LEVELS.get(tag_key(work.author_tags.rating)) if work.author_tags.rating else None
        if level is None:
            continue  # Not Rated or no rating: nothing to agree with
        analysis = Analysis(work=work, profile=Profile(work=work), config=pipeline.config, resources=pipeline.resources)
        for step in pipeline.steps:
            step(analysis)
        scan = story_scan(analysis)
        scan.memo.clear()
        rows.append((work.id, level, scan))
        # The additional-tag ranking (training/tune_additional.py) reads the same run.
        extra.append((work.id, sorted(work.author_tags.additional), analysis.profile.to_dict(include_text=False)))
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(rows))
    (cache / f"profiles-{split}.pickle").write_bytes(pickle.dumps(extra))
    return rows


def levels(rows, kind: str) -> tuple[list[dict], np.ndarray]:
    """Every value combination of one judgement's thresholds and the level it gives each work."""
    names = list(GRID[kind])
    combos = [dict(zip(names, values)) for values in itertools.product(*GRID[kind].values())]
    table = np.zeros((len(combos), len(rows)), dtype=np.int8)
    for i, values in enumerate(combos):
        settings = replace(DEFAULTS, **values)
        for j, (_, _, scan) in enumerate(rows):
            table[i, j] = JUDGES[kind](scan, settings).level
    return combos, table


def search(rows, min_within: float) -> list[tuple[float, float, dict]]:
    """Every combination of the grid, scored; best exact agreement first among those keeping
    within-one ≥ `min_within`."""
    gold = np.array([level for _, level, _ in rows], dtype=np.int8)
    (sc, st), (pc, pt), (vc, vt) = (levels(rows, kind) for kind in GRID)
    results = []
    for i, s_values in enumerate(sc):
        for j, p_values in enumerate(pc):
            sp = np.maximum(st[i], pt[j])  # (works,)
            level = np.maximum(sp[None, :], vt)  # (violence combos, works)
            exact = (level == gold).mean(axis=1) * 100
            within = (np.abs(level - gold) <= 1).mean(axis=1) * 100
            for k in range(len(vc)):
                results.append((float(exact[k]), float(within[k]), {**s_values, **p_values, **vc[k]}))
    results.sort(key=lambda r: (-(r[1] >= min_within), -r[0], -r[1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ficlens-tune-cache"))
    parser.add_argument("--split", default="tune")
    parser.add_argument("--min-within", type=float, default=95.0)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    rows = cache_scans(args.directory, args.cache, args.split)
    gold = [level for _, level, _ in rows]
    base = [max(f.level for f in judge_all(scan, DEFAULTS)) for _, _, scan in rows]
    exact = 100.0 * sum(b == g for b, g in zip(base, gold)) / len(rows)
    within = 100.0 * sum(abs(b - g) <= 1 for b, g in zip(base, gold)) / len(rows)
    print(f"{len(rows)} rated works; defaults: exact {exact:.1f}  within one {within:.1f}")
    for exact, within, values in search(rows, args.min_within)[: args.top]:
        changed = {k: v for k, v in values.items() if getattr(DEFAULTS, k) != v}
        print(f"exact {exact:5.1f}  within one {within:5.1f}  {changed}")


if __name__ == "__main__":
    main()
