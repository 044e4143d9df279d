"""The person-name model: its shipped weights, its decisions on real parses, its training code."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ficlens.characters.mentions import FormEvidence, NameCandidate
from ficlens.characters.name_model import NameModel, evidence_features, load_name_model

REPO = Path(__file__).resolve().parent.parent


def _evidence(form: str, count: int, **cues: int) -> FormEvidence:
    occurrences = [NameCandidate(start=10 * i, end=10 * i + len(form), text=form) for i in range(count)]
    ev = FormEvidence(count=count, occurrences=occurrences)
    ev.cues.update(cues)
    return ev


def test_shipped_weights_cover_exactly_the_features_the_code_makes():
    """A feature added or renamed without retraining (python training/name_model.py) fails here."""
    model = load_name_model()
    features = evidence_features({"Mr. Tobias Wren": _evidence("Mr. Tobias Wren", 2, title=2, mid_sentence=2)})
    assert set(model.weights) == set(features["Mr. Tobias Wren"])
    assert 0.0 < model.threshold < 1.0


def test_model_loads_fast():
    load_name_model.cache_clear()
    started = time.perf_counter()
    load_name_model()
    assert time.perf_counter() - started < 1.0


def test_probability_is_a_logistic_of_the_weighted_features():
    model = NameModel(weights={"bias": -1.0, "x": 2.0}, threshold=0.5)
    assert model.probability({"bias": 1.0, "x": 0.0}) == pytest.approx(1 / (1 + np.exp(1.0)))
    assert model.probability({"bias": 1.0, "x": 1.0, "unknown": 5.0}) == pytest.approx(1 / (1 + np.exp(-1.0)))


def test_the_knowledge_base_outranks_the_model():
    evidence = {"Kylo": _evidence("Kylo", 1, sentence_initial=1), "Jakku": _evidence("Jakku", 3, ner_person=3)}
    kinds = {"Kylo": "character", "Jakku": "place"}
    never = NameModel(weights={"bias": -30.0}, threshold=0.5)
    always = NameModel(weights={"bias": 30.0}, threshold=0.5)
    assert never.person_forms(evidence, kinds.get) == {"Kylo"}
    assert always.person_forms(evidence, kinds.get) == {"Kylo"}
    assert always.person_forms(evidence, lambda form: None) == {"Kylo", "Jakku"}


def _names(profile) -> set[str]:
    return {alias for c in profile.characters for alias in [c.name, *c.aliases]}


def test_a_name_that_is_also_an_interjection_is_found_when_it_speaks(analyse):
    """ "Pooh" is on the interjection list; the list is a feature, not a veto."""
    profile = analyse(
        "Pooh went down to the river one morning. “I am hungry,” said Pooh. Pooh looked at the "
        "honey pot for a long time. “Is it empty?” asked Pooh. Christopher Robin laughed at him. "
        "“Silly old bear,” said Christopher Robin. Pooh sat down on the bank and sighed."
    )
    assert "Pooh" in _names(profile)
    assert "Christopher Robin" in _names(profile)


def test_an_interjection_opening_quotes_is_no_character(analyse):
    profile = analyse(
        "“Hullo!” cried Mary from the gate. “Hullo!” she called again, but nobody came. "
        "“Hullo! Is anyone there?” Mary asked the empty yard, and Mary went home."
    )
    assert "Hullo" not in _names(profile)
    assert "Mary" in _names(profile)


# --- the training script ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def training():
    spec = importlib.util.spec_from_file_location("train_name_model", REPO / "training" / "name_model.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_fit_learns_the_sign_of_a_feature_from_soft_targets(training):
    x = np.array([[1.0, 0.0], [1.0, 1.0]] * 20)
    y = np.array([0.1, 0.9] * 20)
    beta = training.fit(x, y, np.ones(len(y)), 0.01, ["bias", "cue"])
    assert beta[1] > 2.0
    p = 1 / (1 + np.exp(-(x[:2] @ beta)))
    assert p == pytest.approx([0.1, 0.9], abs=0.02)


def test_a_prior_holds_a_weight_the_data_says_nothing_about(training):
    x = np.array([[1.0, 0.0], [1.0, 0.0]])
    y = np.array([0.0, 1.0])
    beta = training.fit(x, y, np.ones(2), 1.0, ["bias", "interjection"])
    assert beta[1] == pytest.approx(training.PRIORS["interjection"])


def test_folds_are_by_document_and_deterministic(training):
    docs = [training.DocSamples(f"doc{i}", "tune", [], [], [], [], [], 0) for i in range(7)]
    folds = training.folds(docs, 3)
    shuffled = docs[3:] + docs[:3]

    def ids(fold_lists, ds):
        return [sorted(ds[i].doc_id for i in fold) for fold in fold_lists]

    assert ids(folds, docs) == ids(training.folds(shuffled, 3), shuffled)
    assert sorted(sum(folds, [])) == list(range(7))
    assert all(abs(len(a) - len(b)) <= 1 for a in folds for b in folds)
