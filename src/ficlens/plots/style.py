"""One look for every ficlens plot: type, colours, line and marker styles, file output.

The colours are Okabe and Ito's palette, chosen to stay apart for readers with any common form of
colour blindness; every category also gets its own line style, marker or hatch so that a plot
printed in grey still tells its series apart. Figures are built on `matplotlib.figure.Figure`
directly (never pyplot), so no display, no backend switch and no global figure registry is ever
involved, and settings apply through `styled()` rather than by changing matplotlib's globals.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from matplotlib.colors import ListedColormap

# Okabe & Ito (2008), "Color Universal Design".
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#8C8C8C"
LIGHT_GREY = "#D9D9D9"

# Gender is shown by colour *and* hatch; unknown is the neutral grey so that it never reads as a
# third claimed gender.
GENDER_STYLE: dict[str, dict[str, str]] = {
    "female": {"color": ORANGE, "hatch": "", "label": "female"},
    "male": {"color": BLUE, "hatch": "//", "label": "male"},
    "nonbinary": {"color": REDDISH_PURPLE, "hatch": "xx", "label": "nonbinary"},
    "unknown": {"color": LIGHT_GREY, "hatch": "..", "label": "unknown"},
}

# Relationship types: colour, line style and width tell them apart, in colour and in grey.
RELATIONSHIP_STYLE: dict[str, dict[str, Any]] = {
    "romantic": {"color": VERMILLION, "linestyle": "solid", "label": "romantic"},
    "family": {"color": BLUE, "linestyle": (0, (6, 2)), "label": "family"},
    "friendship": {"color": BLUISH_GREEN, "linestyle": (0, (6, 2, 1, 2)), "label": "friendship"},
    "antagonism": {"color": BLACK, "linestyle": (0, (1, 1.5)), "label": "antagonism"},
    "platonic": {"color": GREY, "linestyle": (0, (3, 3)), "label": "shared scenes"},
}

# A sequence of categorical colours with a marker each, for series without a fixed meaning.
SERIES = [
    (BLUE, "o"),
    (ORANGE, "s"),
    (BLUISH_GREEN, "^"),
    (VERMILLION, "D"),
    (REDDISH_PURPLE, "v"),
    (SKY_BLUE, "P"),
    (BLACK, "X"),
    (YELLOW, "*"),
]
HATCHES = ["", "//", "..", "xx", "\\\\", "oo", "--", "++"]


# A sequential colour map of one hue, light to dark: its order survives grey print and every
# common colour-vision deficiency.
# Its palest end is cut off so that a count of one still shows against the white of zero.
def sequential_cmap() -> ListedColormap:
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    return ListedColormap(colormaps["Blues"](np.linspace(0.18, 1.0, 256)), name="ficlens-blues")


RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10.5,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.grid": False,
    "figure.dpi": 100,
    "savefig.dpi": 120,
    # No "tight" bbox: the constrained layout already fits everything, and "tight" draws twice.
    "hatch.linewidth": 0.8,
    # SVG text stays text: searchable in the HTML report, and small.
    "svg.fonttype": "none",
    # Fixed ids so the same profile always gives the same SVG file.
    "svg.hashsalt": "ficlens",
}

FORMATS = ("svg", "png")

log = logging.getLogger(__name__)


@contextmanager
def styled() -> Iterator[None]:
    """matplotlib settings for building and saving one ficlens figure, restored afterwards."""
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]  # RC keys are rcParams names
        yield


def new_figure(width: float, height: float) -> Figure:
    """A figure that belongs to no pyplot state and needs no display."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    # w_pad, h_pad: inches of white round the edge
    return Figure(figsize=(width, height), layout=ConstrainedLayoutEngine(w_pad=0.12, h_pad=0.12))


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as an SVG or PNG file's bytes (metadata fixed so output is reproducible).

    Drawn straight through the format's canvas rather than `savefig`, which, for a figure with
    a layout engine, draws it twice (once to lay it out, once to print): the text layout those
    draws repeat is most of a plot's cost. The first draw also runs the layout; `keep_layout`
    then spares a second format from running it again."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown plot format {fmt!r}; choose from {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    with styled():
        if fmt == "svg":
            from matplotlib.backends.backend_svg import FigureCanvasSVG

            FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None})
        else:
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            dpi = fig.dpi
            fig.dpi = RC["savefig.dpi"]
            try:
                FigureCanvasAgg(fig).print_png(buffer, metadata={"Software": None})
            finally:
                fig.dpi = dpi
    return buffer.getvalue()


def keep_layout(fig: Figure) -> None:
    """Keep the layout the last draw computed: later draws (another format) skip the solver."""
    fig.set_layout_engine("none")


def write_figures(
    out_dir: Path, stems: list[str], make: Callable[[str], Figure], formats: tuple[str, ...], force: bool
) -> list[Path]:
    """Write `<stem>.<fmt>` for each stem, the figure made by `make(stem)`. Every target is
    checked before any figure is drawn, so a refusal to overwrite wastes no work and leaves
    no partial set behind."""
    from ..output import check_writable, write_atomic

    check_writable([out_dir / f"{stem}.{fmt}" for stem in stems for fmt in formats], force)
    written = []
    for stem in stems:
        fig = make(stem)
        for fmt in formats:
            path = out_dir / f"{stem}.{fmt}"
            write_atomic(path, figure_bytes(fig, fmt), force)
            keep_layout(fig)
            written.append(path)
            log.info("wrote %s", path)
    return written


def inline_svg(fig: Figure, label: str) -> str:
    """The figure as an `<svg>` element for embedding in HTML: no XML prolog, no DOCTYPE, and an
    accessible label. Ids are prefixed so several figures can share one page."""
    text = figure_bytes(fig, "svg").decode("utf-8")
    svg = text[text.find("<svg") :]
    # Inside HTML the namespaces are implied and the RDF metadata says nothing a reader needs;
    # without them the report names no URL at all. SVG 2 `href` replaces `xlink:href`.
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.DOTALL)
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    svg = svg.replace("xlink:href=", "href=")
    prefix = "".join(ch for ch in label.lower() if ch.isalnum())[:24] or "fig"
    svg = (
        svg.replace('id="', f'id="{prefix}-')
        .replace("url(#", f"url(#{prefix}-")
        .replace('href="#', f'href="#{prefix}-')
    )
    from html import escape

    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label, quote=True)}" ', 1)


def bar_label(ax: Axes, x: float, y: float, text: str, **kwargs: Any) -> None:
    """A value written just after the end of a horizontal bar. The gap is an offset in points,
    not leading spaces, which SVG viewers collapse."""
    ax.annotate(
        text,
        (x, y),
        xytext=(3, 0),
        textcoords="offset points",
        va="center",
        fontsize=kwargs.pop("fontsize", 9),
        **kwargs,
    )


def titles(fig: Figure, ax: Axes, title: str, subtitle: str | None = None) -> None:
    """A bold title saying what the plot shows and, under it, what it is of (the work, the
    corpus), both left-aligned; the subtitle is cut to what the figure's width holds."""
    fig.suptitle(title, x=0.01, ha="left", fontsize=RC["axes.titlesize"], fontweight="bold")
    if subtitle:
        room = int(fig.get_figwidth() * 9)
        ax.set_title(short(subtitle, room), loc="left", fontsize=10, fontweight="normal", color="#444444", pad=8)


def short(name: str, limit: int = 22) -> str:
    """A name cut to fit an axis label."""
    return name if len(name) <= limit else name[: limit - 1] + "…"
