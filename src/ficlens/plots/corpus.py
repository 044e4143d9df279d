"""Plots of a corpus: one figure per table of `corpus.stats` (the tables are the data; the
figures only draw them, so a figure never shows a number its table does not hold).

Series that compare the authors' tags with ficlens's are told apart by colour and hatch, genders
by the colours and hatches of `style.GENDER_STYLE`, as in the per-work plots.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..corpus.stats import ALL, CorpusStats, Table
from . import style

MAX_BARS = 25
MAX_PANELS = 6

# Two series drawn side by side: (column, legend label, colour, hatch)
AUTHOR_VS_FICLENS = [
    ("works_author", "author's tags", style.BLUE, ""),
    ("works_suggested", "ficlens's suggestions", style.ORANGE, "//"),
]


def _subtitle(stats: CorpusStats) -> str:
    scope = f"fandom {stats.fandom}" if stats.fandom else "whole corpus"
    return f"{scope} · {stats.works:,} works"


def _empty(ax: Axes, message: str = "nothing to show") -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#555555")


def _barh(
    ax: Axes,
    labels: list[str],
    series: list[tuple[str, list[float], str, str]],
    value_format: str = "{:,.0f}",
    values_written: bool = True,
) -> None:
    """Horizontal bars, one group per label (top to bottom), one bar per series in a group, each
    bar with its value written at its end unless `values_written` is false (small multiples,
    where the axis says enough and the numbers would crowd)."""
    percent = "%" in value_format  # a share of 0 % is a finding; a count of 0 is not
    drawn = [sr for sr in series if any(v or (percent and v is not None) for v in sr[1])]
    series = drawn or series[:1]  # a series with nothing in this panel takes no room in it
    n = len(series)
    height = 0.8 / n
    ys = np.arange(len(labels))[::-1]
    peak = max((v for _, values, _, _ in series for v in values if v is not None), default=0) or 1
    for k, (label, values, colour, hatch) in enumerate(series):
        offset = (n - 1) / 2 * height - k * height
        clean = [v or 0 for v in values]
        ax.barh(
            ys + offset,
            clean,
            height=height * 0.92,
            color=colour,
            hatch=hatch,
            edgecolor="#333333",
            linewidth=0.6,
            label=label,
        )
        for y, v in zip(ys + offset, values):
            if not values_written:
                break
            if v or (v == 0 and percent):
                style.bar_label(ax, v, y, value_format.format(v))
    ax.set_yticks(ys, [style.short(lab, 34) for lab in labels])
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, max(peak * 1.18, 10) if percent else peak * 1.18)
    for y, group in zip(ys, zip(*(values for _, values, _, _ in series))):
        if all(v is None for v in group):  # a share of nothing: say so rather than draw 0
            style.bar_label(ax, 0, y, "n/a", color="#555555", style="italic")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _bar_figure(
    stats: CorpusStats,
    table: Table,
    label_col: str,
    series: list[tuple[str, str, str, str]],
    title: str,
    xlabel: str,
    value_format: str = "{:,.0f}",
) -> Figure:
    rows = table.dicts()[:MAX_BARS]
    with style.styled():
        fig = style.new_figure(8.5, 1.6 + 0.32 * max(len(rows), 3) * (1 + 0.4 * (len(series) - 1)))
        ax = fig.add_subplot()
        style.titles(fig, ax, title, _subtitle(stats))
        if not rows:
            _empty(ax)
            return fig
        _barh(
            ax,
            [str(r[label_col]) for r in rows],
            [(label, [r[col] for r in rows], colour, hatch) for col, label, colour, hatch in series],
            value_format,
        )
        ax.set_xlabel(xlabel)
        if len(series) > 1:
            ax.legend(loc="lower right", frameon=False)
        if len(table.rows) > MAX_BARS:
            ax.text(
                1.0,
                -0.08,
                f"first {MAX_BARS} of {len(table.rows)}",
                transform=ax.transAxes,
                ha="right",
                va="top",
                fontsize=8,
                color="#555555",
            )
    return fig


def _works_by(column: str, what: str) -> Callable[[CorpusStats], Figure]:
    def figure(stats: CorpusStats) -> Figure:
        table = stats[f"works_by_{column}"]
        if "works_author" in table.columns:
            return _bar_figure(stats, table, column, AUTHOR_VS_FICLENS, f"Works by {what}", "works")
        return _bar_figure(
            stats, table, table.columns[0], [("works", "works", style.BLUE, "")], f"Works by {what}", "works"
        )

    return figure


def _top_tags(name: str, column: str, what: str) -> Callable[[CorpusStats], Figure]:
    """Small multiples: the most frequent tags of one field in each of the largest fandoms."""

    def figure(stats: CorpusStats) -> Figure:
        table = stats[name]
        present = set(table.column("fandom"))
        fandoms = [f for f in stats["works_by_fandom"].column("fandom") if f in present][:MAX_PANELS]  # largest first
        with style.styled():
            cols = 1 if len(fandoms) <= 1 else 2
            rows = max(1, math.ceil(len(fandoms) / cols))
            fig = style.new_figure(7.0 * cols if cols > 1 else 8.5, 0.8 + 3.6 * rows)
            axes = fig.subplots(rows, cols, squeeze=False).ravel()
            style.titles(fig, axes[0], f"Most frequent {what} per fandom", None)
            for ax, fandom in zip(axes, fandoms):
                subset = [r for r in table.dicts() if r["fandom"] == fandom]
                _barh(
                    ax,
                    [r[column] for r in subset],
                    [
                        (label, [r[col] for r in subset], colour, hatch)
                        for col, label, colour, hatch in AUTHOR_VS_FICLENS
                    ],
                    values_written=False,
                )
                ax.grid(axis="x", color="#dddddd", linewidth=0.6)
                ax.set_axisbelow(True)
                ax.set_title(style.short(fandom, 48), loc="left", fontsize=10.5)
                ax.set_xlabel("works")
            for ax in axes[len(fandoms) :]:
                ax.set_axis_off()
            if not fandoms:
                _empty(axes[0])
            else:
                handles = [
                    Patch(facecolor=c, hatch=h, edgecolor="#333333", label=lab) for _, lab, c, h in AUTHOR_VS_FICLENS
                ]
                fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False, title=_subtitle(stats))
        return fig

    return figure


def relationship_kinds_figure(stats: CorpusStats) -> Figure:
    table = stats["relationship_kinds"]
    series = [
        ("romantic_author", "romantic A/B, author", style.VERMILLION, ""),
        ("platonic_author", "platonic A & B, author", style.BLUE, ""),
        ("romantic_suggested", "romantic A/B, ficlens", style.VERMILLION, "//"),
        ("platonic_suggested", "platonic A & B, ficlens", style.BLUE, "//"),
    ]
    return _bar_figure(
        stats,
        table,
        "fandom",
        series,
        "Romantic (A/B) and platonic (A & B) relationship tags",
        "works with at least one such tag",
    )


def dialogue_by_gender_figure(stats: CorpusStats) -> Figure:
    """Stacked 100 % bars: each scope's quotations and quoted words split by speaker gender."""
    table = stats["dialogue_by_gender"]
    rows = [r for r in table.dicts() if r["share_of_quotes"] is not None]
    scopes = list(dict.fromkeys(r["fandom"] for r in rows))[:MAX_BARS]
    genders = [g for g in style.GENDER_STYLE if any(r["gender"] == g for r in rows)]
    with style.styled():
        fig = style.new_figure(10, 1.8 + 0.42 * max(len(scopes), 2))
        axes = fig.subplots(1, 2, sharey=True)
        style.titles(fig, axes[0], "Dialogue by the speaker's gender", _subtitle(stats))
        if not scopes:
            _empty(axes[0], "no attributed quotations")
            axes[1].set_axis_off()
            return fig
        ys = np.arange(len(scopes))[::-1]
        for ax, column, label in (
            (axes[0], "share_of_quotes", "share of quotations"),
            (axes[1], "share_of_words", "share of quoted words"),
        ):
            left = np.zeros(len(scopes))
            for gender in genders:
                spec = style.GENDER_STYLE[gender]
                values = (
                    np.array(
                        [
                            next((r[column] for r in rows if r["fandom"] == s and r["gender"] == gender), 0.0)
                            for s in scopes
                        ]
                    )
                    * 100
                )
                ax.barh(
                    ys,
                    values,
                    left=left,
                    color=spec["color"],
                    hatch=spec["hatch"],
                    edgecolor="#333333",
                    linewidth=0.6,
                    height=0.7,
                    label=spec["label"],
                )
                for y, x, v in zip(ys, left, values):
                    if v >= 7:
                        ax.text(
                            x + v / 2,
                            y,
                            f"{v:.0f} %",
                            ha="center",
                            va="center",
                            fontsize=8.5,
                            color="white" if gender == "male" else "black",
                            bbox={"boxstyle": "round,pad=0.1", "facecolor": spec["color"], "edgecolor": "none"},
                        )
                left += values
            ax.set_xlim(0, 100)
            ax.set_xlabel(f"{label} (%)")
            ax.axvline(50, color="#444444", linewidth=0.6, linestyle=(0, (2, 2)))
        axes[0].set_yticks(ys, [style.short("all works" if s == ALL else s, 30) for s in scopes])
        axes[0].tick_params(axis="y", length=0)
        fig.legend(
            handles=[
                Patch(
                    facecolor=style.GENDER_STYLE[g]["color"],
                    hatch=style.GENDER_STYLE[g]["hatch"],
                    edgecolor="#333333",
                    label=g,
                )
                for g in genders
            ],
            loc="outside lower center",
            ncols=len(genders),
            frameon=False,
            title="speaker's gender",
        )
    return fig


def narration_figure(stats: CorpusStats) -> Figure:
    table = stats["narration"]
    povs = list(dict.fromkeys(table.column("pov")))
    tenses = list(dict.fromkeys(table.column("tense")))
    with style.styled():
        fig = style.new_figure(2.8 + 1.3 * max(len(tenses), 2), 2.2 + 0.7 * max(len(povs), 2))
        ax = fig.add_subplot()
        style.titles(fig, ax, "Point of view and tense", _subtitle(stats))
        if not povs:
            _empty(ax)
            return fig
        matrix = np.zeros((len(povs), len(tenses)), dtype=int)
        for r in table.dicts():
            matrix[povs.index(r["pov"]), tenses.index(r["tense"])] = r["works"]
        image = ax.imshow(
            np.ma.masked_equal(matrix, 0),
            cmap=style.sequential_cmap(),
            vmin=1,
            vmax=max(matrix.max(), 1),
            aspect="auto",
        )
        colours = np.asarray(image.cmap(image.norm(matrix)))
        total = matrix.sum() or 1
        for i in range(len(povs)):
            for j in range(len(tenses)):
                if matrix[i, j]:
                    r, g, b, _ = colours[i, j]
                    dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
                    ax.text(
                        j,
                        i,
                        f"{matrix[i, j]:,}\n({100 * matrix[i, j] / total:.0f} %)",
                        ha="center",
                        va="center",
                        fontsize=9,
                        color="white" if dark else "black",
                    )
        ax.set_xticks(range(len(tenses)), tenses)
        ax.set_yticks(range(len(povs)), [f"{p} person" if p in ("first", "second", "third") else p for p in povs])
        ax.set_xlabel("tense")
        ax.set_ylabel("point of view")
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
    return fig


def reader_insert_figure(stats: CorpusStats) -> Figure:
    table = stats["reader_insert"]
    rows = table.dicts()
    shaped = Table(
        table.name,
        table.title,
        ["fandom", "percent"],
        [("all works" if r["fandom"] == ALL else r["fandom"], 100 * (r["share"] or 0)) for r in rows],
    )
    return _bar_figure(
        stats,
        shaped,
        "fandom",
        [("percent", "reader-insert", style.REDDISH_PURPLE, "")],
        "Reader-insert works",
        "share of works that are reader-insert (%)",
        "{:.0f} %",
    )


def audit_figure(stats: CorpusStats) -> Figure:
    table = stats["audit"]
    rows = table.dicts()
    shaped = Table(
        table.name,
        table.title,
        ["fandom", "explicit", "death"],
        [
            (
                "all works" if r["fandom"] == ALL else r["fandom"],
                None if r["share_of_rated"] is None else 100 * r["share_of_rated"],
                None if r["share_of_warned"] is None else 100 * r["share_of_warned"],
            )
            for r in rows
        ],
    )
    series = [
        ("explicit", "text more explicit than its rating (% of rated works)", style.VERMILLION, ""),
        ("death", "major character death not warned (% of works with warnings)", style.BLUE, "xx"),
    ]
    fig = _bar_figure(stats, shaped, "fandom", series, "Audit of the authors' tags", "% of works", "{:.0f} %")
    return fig


def agreement_figure(stats: CorpusStats) -> Figure:
    table = stats["tag_agreement"]
    shaped = Table(
        table.name,
        table.title,
        ["field", "precision", "recall"],
        [
            (
                f"{r['field']} ({r['works_compared']:,} work{'' if r['works_compared'] == 1 else 's'})",
                None if r["precision"] is None else 100 * r["precision"],
                None if r["recall"] is None else 100 * r["recall"],
            )
            for r in table.dicts()
        ],
    )
    series = [
        ("precision", "precision: suggestions the author also gives", style.BLUISH_GREEN, ""),
        ("recall", "recall: author's tags ficlens also suggests", style.SKY_BLUE, "//"),
    ]
    fig = _bar_figure(
        stats,
        shaped,
        "field",
        series,
        "ficlens's suggested tags against the authors' tags",
        "% of tags (same tag text)",
        "{:.0f} %",
    )
    return fig


FIGURES: dict[str, Callable[[CorpusStats], Figure]] = {
    "works_by_fandom": _works_by("fandom", "fandom"),
    "works_by_rating": _works_by("rating", "rating"),
    "works_by_warning": _works_by("warning", "archive warning"),
    "works_by_category": _works_by("category", "category"),
    "works_by_language": _works_by("language", "language"),
    "works_by_year": _works_by("year", "year of publication"),
    "works_by_length": _works_by("length", "length (story words)"),
    "top_characters": _top_tags("top_characters", "character", "characters"),
    "top_relationships": _top_tags("top_relationships", "relationship", "relationships"),
    "relationship_kinds": relationship_kinds_figure,
    "top_additional_tags": _top_tags("top_additional_tags", "additional", "additional tags"),
    "dialogue_by_gender": dialogue_by_gender_figure,
    "narration": narration_figure,
    "reader_insert": reader_insert_figure,
    "audit": audit_figure,
    "tag_agreement": agreement_figure,
}


def corpus_figures(stats: CorpusStats, names: tuple[str, ...] | None = None) -> dict[str, Figure]:
    return {name: FIGURES[name](stats) for name in (names or tuple(FIGURES)) if name in stats.tables}


def write_corpus_plots(
    stats: CorpusStats, out_dir: Path, formats: tuple[str, ...] = style.FORMATS, force: bool = False
) -> list[Path]:
    """Write `<table>.<fmt>` for every plot; existing files are never replaced unless `force`."""
    names = [n for n in FIGURES if n in stats.tables]
    return style.write_figures(out_dir, names, lambda name: FIGURES[name](stats), formats, force)
