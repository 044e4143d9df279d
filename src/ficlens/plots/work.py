"""Plots of one work: who is on stage when, who speaks how much, who is linked to whom, who talks
to whom.

Every function takes a `Profile` or its dict form (`Profile.to_dict()`, a profile JSON file read
back) and returns a matplotlib `Figure`; `write_work_plots` saves them as SVG/PNG files. Both
forms go through `WorkView`, so a plot never depends on which one it was given. Offsets in the
dict form point into its `text`, those of a `Profile` into `work.text`; either way they agree
with the view's own text.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..model import Profile
from ..stats import count_words
from . import style

if TYPE_CHECKING:
    import networkx as nx  # imported where a network is drawn (it is slow to import)

KINDS = ("presence", "speaking", "network", "conversation")

MAX_PRESENCE_ROWS = 12
MAX_SPEAKERS = 15
MAX_NETWORK_NODES = 24
MAX_CONVERSATION_CHARACTERS = 12


@dataclass
class CharacterView:
    id: str
    name: str
    gender: str = "unknown"
    mentions: int = 0
    is_reader: bool = False


@dataclass
class QuoteView:
    start: int
    end: int
    speaker: str | None
    addressees: list[str] = field(default_factory=list)


@dataclass
class RelationshipView:
    characters: list[str]
    type: str
    tag: str
    relation: str | None = None
    strength: float = 0.0


@dataclass
class WorkView:
    """What the plots need of a profile, the same whichever form the profile came in."""

    title: str
    text: str | None
    story: list[tuple[int, int, int | None]]  # (start, end, chapter) of each story part
    characters: list[CharacterView]
    mentions: list[tuple[int, str]]  # (start, character id)
    quotes: list[QuoteView]
    relationships: list[RelationshipView]

    @classmethod
    def of(cls, profile: Profile | dict[str, Any] | WorkView) -> WorkView:
        if isinstance(profile, WorkView):
            return profile
        if isinstance(profile, Profile):
            return cls._of_profile(profile)
        return cls._of_dict(profile)

    @classmethod
    def _of_profile(cls, p: Profile) -> WorkView:
        return cls(
            title=p.work.title or p.work.id,
            text=p.work.text,
            story=[(part.start, part.end, part.chapter) for part in p.work.parts if part.is_story],
            characters=[CharacterView(c.id, c.name, c.gender, c.mention_count, c.is_reader) for c in p.characters],
            mentions=[(m.start, m.character) for m in p.mentions],
            quotes=[QuoteView(q.start, q.end, q.speaker, list(q.addressees)) for q in p.quotes],
            relationships=[
                RelationshipView(list(r.characters), r.type, r.tag, r.relation, r.strength) for r in p.relationships
            ],
        )

    @classmethod
    def _of_dict(cls, d: dict[str, Any]) -> WorkView:
        work = d.get("work") or {}
        return cls(
            title=work.get("title") or work.get("id") or "untitled work",
            text=d.get("text"),
            story=[(p["start"], p["end"], p.get("chapter")) for p in d.get("parts", []) if p.get("kind") == "body"],
            characters=[
                CharacterView(
                    c["id"],
                    c.get("name") or c["id"],
                    c.get("gender") or "unknown",
                    c.get("mention_count", 0),
                    bool(c.get("is_reader")),
                )
                for c in d.get("characters", [])
            ],
            mentions=[(m["start"], m["character"]) for m in d.get("mentions", [])],
            quotes=[
                QuoteView(q["start"], q["end"], q.get("speaker"), list(q.get("addressees") or []))
                for q in d.get("quotes", [])
            ],
            relationships=[
                RelationshipView(
                    list(r["characters"]),
                    r.get("type", "platonic"),
                    r.get("tag", ""),
                    r.get("relation"),
                    float(r.get("strength") or 0.0),
                )
                for r in d.get("relationships", [])
            ],
        )

    def names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.characters}

    def quoted_words(self) -> tuple[Counter[str | None], str]:
        """Words inside each speaker's quotations (None: unattributed), and the unit's name.

        A dict profile written without its text cannot be counted in words; quotations are then
        counted instead, and the unit says so."""
        counts: Counter[str | None] = Counter()
        if self.text is None:
            for q in self.quotes:
                counts[q.speaker] += 1
            return counts, "quotations"
        for q in self.quotes:
            counts[q.speaker] += count_words(self.text[q.start : q.end])
        return counts, "words"


class StoryClock:
    """Maps a text offset to narrative time: the share of story text read before it (0–100 %).

    Notes, summaries and other paratext take no narrative time, so an offset inside them maps to
    nothing."""

    def __init__(self, story: list[tuple[int, int, int | None]]):
        self.parts = sorted(story)
        self.starts = [s for s, _, _ in self.parts]
        self.before: list[int] = []
        total = 0
        for start, end, _ in self.parts:
            self.before.append(total)
            total += end - start
        self.total = total

    def __call__(self, offset: int) -> float | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0 or self.total == 0:
            return None
        start, end, _ = self.parts[i]
        if offset >= end:
            return None
        return 100.0 * (self.before[i] + offset - start) / self.total

    def chapter_starts(self) -> list[tuple[float, int]]:
        """(narrative time, chapter number) where each chapter begins."""
        seen: set[int] = set()
        out = []
        for (start, _, chapter), before in zip(self.parts, self.before):
            if chapter is not None and chapter not in seen and self.total:
                seen.add(chapter)
                out.append((100.0 * before / self.total, chapter))
        return out


def _empty(fig: Figure, ax: Axes, message: str) -> Figure:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#555555", fontsize=11)
    return fig


def _title(fig: Figure, ax: Axes, view: WorkView, what: str) -> None:
    style.titles(fig, ax, what, view.title)


def _chapter_axis(ax: Axes, clock: StoryClock) -> None:
    """Dotted lines at chapter starts and, when they fit, chapter numbers along the top."""
    starts = clock.chapter_starts()
    if len(starts) < 2:
        return
    for x, _ in starts[1:]:
        ax.axvline(x, color="#999999", linewidth=0.6, linestyle=(0, (1, 2)), zorder=0)
    step = max(1, math.ceil(len(starts) / 25))
    shown = starts[::step]
    top = ax.secondary_xaxis("top")
    top.set_xticks([x for x, _ in shown], [str(c) for _, c in shown])
    top.tick_params(labelsize=8, length=2)
    top.set_xlabel("chapter", fontsize=9)


def presence_figure(profile: Profile | dict[str, Any]) -> Figure:
    """One row per main character along narrative time: a strip of how densely the text names or
    refers to them, and a tick wherever they speak."""
    view = WorkView.of(profile)
    clock = StoryClock(view.story)
    with style.styled():
        ranked = sorted((c for c in view.characters if c.mentions > 0), key=lambda c: -c.mentions)[:MAX_PRESENCE_ROWS]
        rows = len(ranked)
        fig = style.new_figure(9.5, 1.2 + 0.55 * max(rows, 3))
        ax = fig.add_subplot()
        _title(fig, ax, view, "Who is on stage when")
        if not ranked or clock.total == 0:
            return _empty(fig, ax, "No characters found in the story text")
        words = count_words(view.text) if view.text is not None and len(view.text) < 400_000 else clock.total // 6
        bins = int(min(100, max(12, words // 150)))
        edges = np.linspace(0.0, 100.0, bins + 1)
        centres = (edges[:-1] + edges[1:]) / 2
        index = {c.id: i for i, c in enumerate(ranked)}
        times: list[list[float]] = [[] for _ in ranked]
        for start, character in view.mentions:
            i = index.get(character)
            if i is not None and (t := clock(start)) is not None:
                times[i].append(t)
        speech: list[list[float]] = [[] for _ in ranked]
        for q in view.quotes:
            i = index.get(q.speaker or "")
            if i is not None and (t := clock(q.start)) is not None:
                speech[i].append(t)
        for i in range(rows):
            y = rows - 1 - i  # the most mentioned character on top
            counts, _ = np.histogram(times[i], bins=edges)
            peak = counts.max() if counts.size and counts.max() else 1
            height = 0.5 * counts / peak
            xs = np.concatenate(([0.0], centres, [100.0]))
            ys = np.concatenate(([height[0]], height, [height[-1]])) + y
            ax.fill_between(xs, y, ys, color=style.BLUE, alpha=0.45, linewidth=0, zorder=2)
            ax.plot(xs, ys, color=style.BLUE, linewidth=1.0, zorder=3)
            ax.axhline(y, color="#bbbbbb", linewidth=0.5, zorder=1)
            if speech[i]:
                ax.vlines(speech[i], y - 0.32, y - 0.06, color=style.VERMILLION, linewidth=0.9, zorder=3)
        ax.set_yticks(range(rows), [f"{style.short(c.name)}  ({c.mentions:,})" for c in reversed(ranked)])
        ax.set_ylim(-0.5, rows - 0.35)
        ax.set_xlim(0, 100)
        ax.set_xlabel("Narrative time (% of story text read)")
        ax.set_ylabel("Character (mentions)")
        ax.tick_params(axis="y", length=0)
        _chapter_axis(ax, clock)
        fig.legend(
            handles=[
                Patch(
                    facecolor=style.BLUE,
                    alpha=0.45,
                    edgecolor=style.BLUE,
                    label=f"mentions (density per {100 / bins:.0f} % of text, scaled per row)",
                ),
                Line2D(
                    [],
                    [],
                    color=style.VERMILLION,
                    linewidth=0,
                    marker="|",
                    markersize=10,
                    markeredgewidth=1.5,
                    label="speaks (one tick per quotation)",
                ),
            ],
            loc="outside lower center",
            ncols=2,
            frameon=False,
        )
    return fig


def speaking_figure(profile: Profile | dict[str, Any]) -> Figure:
    """Quoted words per character, coloured and hatched by gender, unattributed speech apart."""
    view = WorkView.of(profile)
    counts, unit = view.quoted_words()
    with style.styled():
        characters = {c.id: c for c in view.characters}
        named = sorted(((k, v) for k, v in counts.items() if k is not None and v > 0), key=lambda kv: -kv[1])
        unattributed = counts.get(None, 0)
        shown = named[:MAX_SPEAKERS]
        rest = named[MAX_SPEAKERS:]
        total = sum(counts.values())
        bars: list[tuple[str, int, str]] = []  # label, value, gender key ("" = not a character)
        for cid, value in shown:
            c = characters.get(cid)
            bars.append((style.short(c.name if c else cid), value, (c.gender if c else "unknown") or "unknown"))
        if rest:
            bars.append((f"{len(rest)} other characters", sum(v for _, v in rest), ""))
        if unattributed:
            bars.append(("(speaker not found)", unattributed, ""))
        fig = style.new_figure(8.5, 1.4 + 0.38 * max(len(bars), 3))
        ax = fig.add_subplot()
        _title(fig, ax, view, "Who speaks how much")
        if not total:
            return _empty(fig, ax, "No quotations found")
        ys = np.arange(len(bars))[::-1]
        for y, (label, value, gender) in zip(ys, bars):
            spec = style.GENDER_STYLE.get(gender) if gender else None
            colour = spec["color"] if spec else "white"
            hatch = spec["hatch"] if spec else "////"
            ax.barh(y, value, color=colour, hatch=hatch, edgecolor="#333333", linewidth=0.7, height=0.72)
            style.bar_label(ax, value, y, f"{value:,} ({100 * value / total:.0f} %)")
        ax.set_yticks(ys, [b[0] for b in bars])
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0, max(v for _, v, _ in bars) * 1.25)
        ax.set_xlabel(f"Quoted {unit} (share of all quoted {unit})")
        genders = [g for g in style.GENDER_STYLE if any(b[2] == g for b in bars)]
        handles = [
            Patch(
                facecolor=style.GENDER_STYLE[g]["color"],
                hatch=style.GENDER_STYLE[g]["hatch"],
                edgecolor="#333333",
                label=style.GENDER_STYLE[g]["label"],
            )
            for g in genders
        ]
        if any(not b[2] for b in bars):
            handles.append(Patch(facecolor="white", hatch="////", edgecolor="#333333", label="not one character"))
        ax.legend(handles=handles, title="gender", loc="lower right", frameon=False)
    return fig


def _network_nodes(view: WorkView) -> list[CharacterView]:
    """The most mentioned characters with a relationship among themselves, plus the most mentioned
    characters of all (linked or not), at most MAX_NETWORK_NODES."""
    characters = {c.id: c for c in view.characters}
    linked = {cid for r in view.relationships for cid in r.characters[:2] if cid in characters}
    chosen = sorted((characters[cid] for cid in linked), key=lambda c: -c.mentions)[:MAX_NETWORK_NODES]
    ids = {c.id for c in chosen}
    still_linked = {cid for r in view.relationships if set(r.characters[:2]) <= ids for cid in r.characters[:2]}
    top = sorted((c for c in characters.values() if c.mentions > 0), key=lambda c: -c.mentions)[:8]
    keep = [c for c in chosen if c.id in still_linked]
    for c in top:
        if c not in keep:
            keep.append(c)
    return sorted(keep, key=lambda c: -c.mentions)[:MAX_NETWORK_NODES]


def stress_layout(graph: nx.Graph, iterations: int = 300) -> dict[str, np.ndarray]:
    """Positions whose distances follow the graph's path lengths (stress majorisation, SMACOF).

    Like Kamada–Kawai it keeps linked characters at even distances, which reads far better than
    a spring layout for a few dozen characters; unlike networkx's version it needs no scipy and
    takes milliseconds. Starts from classical MDS, so the result is deterministic."""
    import networkx as nx

    nodes = sorted(graph.nodes)
    n = len(nodes)
    if n == 1:
        return {nodes[0]: np.zeros(2)}
    if n == 2:
        return {nodes[0]: np.array([-0.6, 0.0]), nodes[1]: np.array([0.6, 0.0])}
    index = {node: i for i, node in enumerate(nodes)}
    d = np.zeros((n, n))
    for source, lengths in nx.all_pairs_shortest_path_length(graph):
        for target, length in lengths.items():
            d[index[source], index[target]] = length
    # classical MDS as the starting point
    j = np.eye(n) - 1.0 / n
    b = -0.5 * j @ (d**2) @ j
    values, vectors = np.linalg.eigh(b)
    order = np.argsort(values)[::-1][:2]
    x = vectors[:, order] * np.sqrt(np.maximum(values[order], 1e-9))
    x += np.random.default_rng(7).normal(scale=1e-3, size=x.shape)  # breaks exact symmetries
    weights = np.where(d > 0, 1.0 / np.maximum(d, 1e-9) ** 2, 0.0)
    v = -weights
    np.fill_diagonal(v, weights.sum(axis=1))
    v_pinv = np.linalg.pinv(v)
    for _ in range(iterations):
        dist = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
        ratio = np.where(dist > 1e-9, weights * d / np.maximum(dist, 1e-9), 0.0)
        bz = -ratio
        np.fill_diagonal(bz, ratio.sum(axis=1))
        new = v_pinv @ bz @ x
        if np.abs(new - x).max() < 1e-5:
            x = new
            break
        x = new
    x -= x.mean(axis=0)
    x /= np.abs(x).max() or 1.0
    return {node: x[index[node]] for node in nodes}


def _layout(graph: nx.Graph, alone: list[str]) -> dict[str, np.ndarray]:
    """Node positions: the largest group of linked characters fills the plot (`stress_layout`);
    smaller groups and characters with no relationship wait in a row below it, instead of
    being flung to the margins."""
    import networkx as nx

    positions: dict[str, np.ndarray] = {}
    groups = sorted((sorted(g) for g in nx.connected_components(graph)), key=lambda g: (-len(g), g))
    row: list[list[str]] = []
    if groups:
        positions.update(stress_layout(graph.subgraph(groups[0])))
        row = groups[1:]
    row += [[cid] for cid in alone]
    slots = sum(len(g) for g in row)
    if not row:
        return positions
    y = -1.45 if groups else 0.0
    slot = min(0.55, 2.0 / slots)
    left = -slot * slots / 2
    for group in row:
        for i, cid in enumerate(group):
            positions[cid] = np.array([left + slot * (i + 0.5), y])
        left += slot * len(group)
    return positions


def network_figure(profile: Profile | dict[str, Any]) -> Figure:
    """Characters as nodes sized by mentions, linked by their typed relationships."""
    import networkx as nx

    view = WorkView.of(profile)
    with style.styled():
        nodes = _network_nodes(view)
        fig = style.new_figure(9.0, 7.0)
        ax = fig.add_subplot()
        _title(fig, ax, view, "Character network")
        if not nodes:
            return _empty(fig, ax, "No characters found")
        ids = {c.id for c in nodes}
        edges = [r for r in view.relationships if len(r.characters) >= 2 and set(r.characters[:2]) <= ids]
        graph = nx.Graph()
        for r in edges:
            a, b = r.characters[:2]
            graph.add_edge(a, b, weight=0.5 + r.strength)
        alone = [c.id for c in nodes if c.id not in graph]
        positions = _layout(graph, alone)
        peak = max((c.mentions for c in nodes), default=1) or 1
        names = view.names()
        # Two relationships of one pair (romantic and antagonism) run side by side, not on top.
        per_pair = Counter(frozenset(r.characters[:2]) for r in edges)
        drawn: Counter[frozenset[str]] = Counter()
        for r in edges:
            a, b = r.characters[:2]
            spec = style.RELATIONSHIP_STYLE.get(r.type, style.RELATIONSHIP_STYLE["platonic"])
            pair = frozenset((a, b))
            shift = (drawn[pair] - (per_pair[pair] - 1) / 2) * 0.035
            drawn[pair] += 1
            (xa, ya), (xb, yb) = positions[a], positions[b]
            length = math.hypot(xb - xa, yb - ya) or 1.0
            dx, dy = -(yb - ya) / length * shift, (xb - xa) / length * shift
            xa, xb, ya, yb = xa + dx, xb + dx, ya + dy, yb + dy
            ax.plot(
                [xa, xb],
                [ya, yb],
                color=spec["color"],
                linestyle=spec["linestyle"],
                linewidth=1.2 + 3.5 * min(max(r.strength, 0.0), 1.0),
                zorder=1,
                solid_capstyle="round",
            )
            if r.relation:  # what characters[1] is to characters[0]: written nearer characters[1]
                ax.text(
                    0.62 * xb + 0.38 * xa,
                    0.62 * yb + 0.38 * ya,
                    r.relation,
                    fontsize=8,
                    style="italic",
                    color="#333333",
                    ha="center",
                    va="center",
                    zorder=2,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
                )
        for gender, look in style.GENDER_STYLE.items():
            group = [c for c in nodes if (c.gender or "unknown") == gender]
            if not group:
                continue
            ax.scatter(
                [positions[c.id][0] for c in group],
                [positions[c.id][1] for c in group],
                s=[150 + 1650 * math.sqrt(c.mentions / peak) for c in group],
                color=look["color"],
                hatch=look["hatch"],
                edgecolor="#333333",
                linewidth=0.8,
                zorder=3,
            )
        for c in nodes:
            x, y = positions[c.id]
            ax.annotate(
                style.short(names[c.id]),
                (x, y),
                xytext=(0, -9 - 14 * math.sqrt(c.mentions / peak)),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=9.5,
                zorder=4,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            )
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        pad = 0.25
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        ax.set_ylim(min(ys) - pad - 0.1, max(ys) + pad)
        ax.set_axis_off()
        types = [t for t in style.RELATIONSHIP_STYLE if any(r.type == t for r in edges)]
        handles: list[Artist] = [
            Line2D(
                [],
                [],
                color=style.RELATIONSHIP_STYLE[t]["color"],
                linestyle=style.RELATIONSHIP_STYLE[t]["linestyle"],
                linewidth=2.2,
                label=style.RELATIONSHIP_STYLE[t]["label"],
            )
            for t in types
        ]
        handles += [
            Patch(facecolor=spec["color"], hatch=spec["hatch"], edgecolor="#333333", label=spec["label"])
            for g, spec in style.GENDER_STYLE.items()
            if any((c.gender or "unknown") == g for c in nodes)
        ]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 5),
            frameon=False,
            title="edges: relationship (width = strength) · nodes: gender (size = mentions)",
        )
        if not edges:
            ax.text(
                0.5,
                0.7,
                "no relationship found between these characters",
                transform=ax.transAxes,
                ha="center",
                va="bottom",
                color="#555555",
                fontsize=10,
                style="italic",
            )
    return fig


def conversation_figure(profile: Profile | dict[str, Any]) -> Figure:
    """Who speaks to whom: quotations per speaker (rows) and addressee (columns)."""
    view = WorkView.of(profile)
    with style.styled():
        pairs: Counter[tuple[str, str]] = Counter()
        for q in view.quotes:
            if q.speaker:
                for a in q.addressees:
                    if a != q.speaker:
                        pairs[(q.speaker, a)] += 1
        involvement: Counter[str] = Counter()
        for (s, a), n in pairs.items():
            involvement[s] += n
            involvement[a] += n
        chosen = [cid for cid, _ in involvement.most_common(MAX_CONVERSATION_CHARACTERS)]
        n = len(chosen)
        size = 2.2 + 0.5 * max(n, 4)
        fig = style.new_figure(size + 1.6, size)
        ax = fig.add_subplot()
        _title(fig, ax, view, "Who speaks to whom")
        if not pairs:
            return _empty(fig, ax, "No quotation has both a speaker and an addressee")
        names = view.names()
        matrix = np.zeros((n, n), dtype=int)
        index = {cid: i for i, cid in enumerate(chosen)}
        for (s, a), count in pairs.items():
            if s in index and a in index:
                matrix[index[s], index[a]] = count
        peak = matrix.max() or 1
        shown = np.ma.masked_equal(matrix, 0)
        # cell borders drawn by the mesh itself: cheaper than a grid of minor ticks
        edges = np.arange(-0.5, n, 1.0)
        image = ax.pcolormesh(
            edges, edges, shown, cmap=style.sequential_cmap(), vmin=1, vmax=peak, edgecolors="#dddddd", linewidth=0.6
        )
        ax.set_aspect("equal")
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(n - 0.5, -0.5)  # first speaker on top
        colours = np.asarray(image.cmap(image.norm(matrix)))
        for i in range(n):
            for j in range(n):
                if matrix[i, j]:
                    r, g, b, _ = colours[i, j]
                    dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
                    ax.text(
                        j,
                        i,
                        str(matrix[i, j]),
                        ha="center",
                        va="center",
                        fontsize=9,
                        color="white" if dark else "black",
                    )
        labels = [style.short(names.get(cid, cid), 18) for cid in chosen]
        ax.set_xticks(range(n), labels, rotation=40, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(n), labels)
        ax.tick_params(which="both", length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlabel("Spoken to (addressee)")
        ax.set_ylabel("Speaker")
        bar = fig.colorbar(image, ax=ax, shrink=0.7, pad=0.02)
        bar.set_label("quotations")
        bar.outline.set_visible(False)
    return fig


FIGURES: dict[str, Callable[[Any], Figure]] = {  # each takes a Profile, its dict or a WorkView
    "presence": presence_figure,
    "speaking": speaking_figure,
    "network": network_figure,
    "conversation": conversation_figure,
}

DESCRIPTIONS = {
    "presence": "Who is on stage when",
    "speaking": "Who speaks how much",
    "network": "Character network",
    "conversation": "Who speaks to whom",
}


def work_figures(profile: Profile | dict[str, Any], kinds: tuple[str, ...] = KINDS) -> dict[str, Figure]:
    view = WorkView.of(profile)  # built once, shared by every figure
    unknown = [k for k in kinds if k not in FIGURES]
    if unknown:
        raise ValueError(f"unknown plot kind {unknown[0]!r}; choose from {', '.join(KINDS)}")
    return {kind: FIGURES[kind](view) for kind in kinds}


def plot_paths(work_id: str, out_dir: Path, kinds: tuple[str, ...], formats: tuple[str, ...]) -> list[Path]:
    return [out_dir / f"{work_id}.{kind}.{fmt}" for kind in kinds for fmt in formats]


def write_work_plots(
    profile: Profile | dict[str, Any],
    work_id: str,
    out_dir: Path,
    kinds: tuple[str, ...] = KINDS,
    formats: tuple[str, ...] = style.FORMATS,
    force: bool = False,
) -> list[Path]:
    """Write `<work_id>.<kind>.<fmt>` files into out_dir, never over existing ones unless `force`."""
    unknown = [k for k in kinds if k not in FIGURES]
    if unknown:
        raise ValueError(f"unknown plot kind {unknown[0]!r}; choose from {', '.join(KINDS)}")
    view = WorkView.of(profile)  # built once, shared by every figure
    return style.write_figures(
        out_dir,
        [f"{work_id}.{kind}" for kind in kinds],
        lambda stem: FIGURES[stem.rsplit(".", 1)[1]](view),
        formats,
        force,
    )
