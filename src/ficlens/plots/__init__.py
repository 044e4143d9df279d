"""Plots of one work (`work`) and of a corpus (`corpus`), all sharing one style (`style`).

Figures are plain matplotlib `Figure`s built without pyplot, so nothing here needs a display.
"""

from __future__ import annotations

from .style import FORMATS, figure_bytes, inline_svg
from .work import KINDS, WorkView, work_figures, write_work_plots

__all__ = ["FORMATS", "KINDS", "WorkView", "figure_bytes", "inline_svg", "work_figures", "write_work_plots"]
