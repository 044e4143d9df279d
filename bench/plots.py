"""How long the plots of one long work take beyond its analysis (goal: under 2 s for ~100,000 words).

    python bench/plots.py [WORK] [--profile PROFILE.json] [--repeat 3]

WORK defaults to ../shared/corpus/pd-fiction/39858_trilby.txt (102,790 story words). The work is
analysed once (that time is printed, but is not the figure measured); then, per repeat, all four
plots are built and written as SVG, as PNG, and as both, and the four are rendered as inline SVG
the way the HTML report embeds them. Wall time and CPU time are printed (CPU time is the
steadier figure on a shared machine). The first run of each repeat pays matplotlib's import and
font cache once, as a `ficlens plot` process would; it is reported apart.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_WORK = ROOT.parent / "shared" / "corpus" / "pd-fiction" / "39858_trilby.txt"


from timing import timed  # noqa: E402 (bench/ is on sys.path when a script runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", nargs="?", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--profile", type=Path, help="a profile JSON (ficlens analyze -f json): skip the analysis")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    _, wall, cpu = timed(lambda: __import__("ficlens.plots.work"))
    print(f"import ficlens.plots (matplotlib, networkx): {wall:.2f} s wall, {cpu:.2f} s CPU")
    from ficlens.plots import inline_svg, work_figures, write_work_plots

    if args.profile:
        profile = json.loads(args.profile.read_text(encoding="utf-8"))
        words = profile["stats"]["words"]
        print(f"profile {args.profile}: {words:,} words")
    else:
        if not args.work.exists():
            print(f"{args.work} not found (needs ../shared); give a WORK or --profile", file=sys.stderr)
            return 2
        import ficlens

        profile, wall, cpu = timed(lambda: ficlens.analyze(ficlens.read(args.work)))
        words = profile.stats.words
        print(
            f"analysis of {args.work.name}: {words:,} words, {len(profile.characters)} characters, "
            f"{len(profile.mentions):,} mentions, {len(profile.quotes):,} quotes, "
            f"{len(profile.relationships)} relationships: {wall:.1f} s wall (not counted below)"
        )

    results: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cases = {
            "4 plots, SVG": lambda: write_work_plots(profile, "w", out, formats=("svg",), force=True),
            "4 plots, PNG": lambda: write_work_plots(profile, "w", out, formats=("png",), force=True),
            "4 plots, SVG + PNG": lambda: write_work_plots(profile, "w", out, force=True),
            "4 plots inline in HTML": lambda: [inline_svg(f, k) for k, f in work_figures(profile).items()],
        }
        for _ in range(args.repeat):
            for name, action in cases.items():
                _, wall, cpu = timed(action)
                results.setdefault(name, []).append((wall, cpu))
    for name, runs in results.items():
        first, rest = runs[0], runs[1:] or runs
        best_wall = min(w for w, _ in rest)
        best_cpu = min(c for _, c in rest)
        print(f"{name:24s} best {best_wall:.2f} s wall / {best_cpu:.2f} s CPU   (first run {first[0]:.2f} s wall)")
    goal = min(w for w, _ in results["4 plots, SVG + PNG"][1:] or results["4 plots, SVG + PNG"])
    print(
        f"goal: all plots of a {words:,}-word work in < 2 s beyond its analysis: "
        f"{'met' if goal < 2 else 'NOT met'} ({goal:.2f} s for SVG + PNG)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
