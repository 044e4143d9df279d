"""The array versions of the model's attribute ruler and lemmatizer (fast_rules.py) give the same
tokens as spaCy's own steps, and step aside for rules they do not understand."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from ficlens.fast_rules import compile_rules, usable_lemmatizer
from ficlens.model import Part, Work
from ficlens.nlp import Parser

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# The model's word exceptions (ain't, nothin', y'all, gets/got, "there is"), spaces of every kind,
# and ordinary dialogue.
TRICKY = (
    '"I ain\'t going," she said.  "Nothin\' doing."\n\n'
    "Y'all got here early, he gets that.\n"
    "There is a house; there were two.\t It's   late -- isn't it?\n\n\n"
    'Mlle. Blanche replied, "Don\'t!"\n'
)


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser()


def _tokens(doc) -> list[tuple]:
    return [
        (
            t.idx,
            t.text,
            t.tag_,
            t.pos_,
            str(t.morph),
            t.lemma_,
            t.dep_,
            t.head.i,
            t.ent_iob_,
            t.ent_type_,
            t.is_sent_start,
        )
        for t in doc
    ]


def _work(text: str) -> Work:
    return Work(id="t", text=text, parts=[Part("body", 0, len(text), chapter=1)])


def test_the_model_rules_are_all_understood(parser: Parser) -> None:
    _ = parser.nlp
    assert parser._replaced == ["attribute_ruler", "lemmatizer"]


@pytest.mark.parametrize("name", ["tricky", *sorted(p.name for p in EXAMPLES.glob("*.txt"))])
def test_same_tokens_as_spacys_own_steps(parser: Parser, name: str) -> None:
    text = TRICKY if name == "tricky" else (EXAMPLES / name).read_text(encoding="utf-8")
    work = _work(text)
    chunks = parser.parse(work)
    spacy_docs = list(parser.nlp.pipe([piece for _, _, piece in parser.pieces(work)]))
    assert len(chunks) == len(spacy_docs)
    for chunk, doc in zip(chunks, spacy_docs):
        assert _tokens(chunk.doc) == _tokens(doc)


def test_the_exceptions_are_applied(parser: Parser) -> None:
    doc = parser.parse(_work(TRICKY))[0].doc
    lemma = {t.lower_: t.lemma_ for t in doc}
    assert lemma["ai"] == "be" and lemma["nothin'"] == "nothing" and lemma["gets"] == "get"
    assert all(t.pos_ == "SPACE" for t in doc if t.is_space)


def test_rules_it_does_not_understand_leave_spacys_step() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "x", "OP": "+"}]], {"TAG": "NN"})
    assert compile_rules(ruler) is None
    other = spacy.blank("en").add_pipe("attribute_ruler")
    other.add([[{"LENGTH": {">=": 3}}]], {"TAG": "NN"})
    assert compile_rules(other) is None
    simple = spacy.blank("en").add_pipe("attribute_ruler")
    simple.add([[{"LOWER": "x"}]], {"TAG": "NN"})
    assert compile_rules(simple) is not None


def test_a_lookup_lemmatizer_is_left_to_spacy() -> None:
    lemmatizer = spacy.blank("en").add_pipe("lemmatizer", config={"mode": "lookup"})
    assert usable_lemmatizer(lemmatizer) is None
