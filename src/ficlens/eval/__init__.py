"""Scorers behind `ficlens eval`: how well ficlens reads characters and quotes, measured on
public gold data (LitBank, PDNC) rather than on our own impressions.

The gold data is never shipped; its directory is always a command-line argument. Metrics are
defined in docs/evaluation.md.
"""

from __future__ import annotations

from .litbank import LitBankDoc, LitBankDocScore, LitBankReport, evaluate_litbank, load_litbank, score_litbank_doc
from .pdnc import PDNCNovel, PDNCNovelScore, PDNCReport, cast_yaml, evaluate_pdnc, load_pdnc, score_pdnc_novel

__all__ = [
    "LitBankDoc",
    "LitBankDocScore",
    "LitBankReport",
    "PDNCNovel",
    "PDNCNovelScore",
    "PDNCReport",
    "cast_yaml",
    "evaluate_litbank",
    "evaluate_pdnc",
    "load_litbank",
    "load_pdnc",
    "score_litbank_doc",
    "score_pdnc_novel",
]
