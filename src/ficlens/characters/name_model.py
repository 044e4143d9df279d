"""The person-name model: is this capitalised form, in this work, the name of a person?

The hand-set votes in mentions.py were tuned by reading errors on the evaluation texts, and word
lists there took real names away. This model weighs the same evidence, and more, with weights
learned on LitBank (training/name_model.py; figures in docs/name-model.md): per form, the share of
its occurrences that show each cue (a title, spaCy's label, the subject of "said", a vocative,
sentence-initial capitals, a "!" after it…), how often the work spells it in lower case, the
first-name statistics, and list membership (interjections, place words) as features, not vetoes.

It is a logistic regression: the weights ship as a small JSON file, inference is a dot product
in plain Python (no numpy at run time), loading takes milliseconds.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Mapping

from .mentions import INTERJECTIONS, NOT_NAMES, PLACE_HEADS, SYNTAX_CUE_VOTES, FormEvidence, is_person
from .names import HONORIFICS, given_name_count, split_name
from .names import NameDataError

MODEL_FILE = "data/models/person_name.json"

# Cues counted per occurrence in mentions.collect_name_evidence; each becomes a share feature.
OCCURRENCE_CUES = (
    "title",
    "ner_person",
    "ner_other",
    "ner_place",
    "ner_none",
    "sentence_initial",
    "in_quote",
    "head_not_propn",
    "speech_subject",
    "speech_subject_in_quote",
    "speech_subject_after_verb",
    "exclamation_after",
    "possessive",
    "initial_comma_after",
    "in_capitals",
    *SYNTAX_CUE_VOTES,
)
# Endings of place and organisation names more than of people's ("Lancashire", "Thornfield").
PLACE_ENDINGS = ("shire", "land", "ton", "ford", "burg", "bury", "ville", "ham", "field", "ia", "wick", "mouth")


def _log_scaled(n: int, scale: float) -> float:
    return min(math.log1p(n) / scale, 1.5)


def form_features(form: str, ev: FormEvidence, titled_tails: set[str], longer_words: set[str]) -> dict[str, float]:
    """The features of one form; keys are stable names, values mostly in [0, 1]."""
    n = max(ev.cues["sentence_initial"] + ev.cues["mid_sentence"], 1)
    f: dict[str, float] = {"bias": 1.0}
    for cue in OCCURRENCE_CUES:
        f["share_" + cue] = ev.cues[cue] / n
        f["any_" + cue] = float(ev.cues[cue] > 0)
    f["log_count"] = _log_scaled(ev.count, 3.0)
    f["all_sentence_initial"] = float(ev.cues["mid_sentence"] == 0)
    f["lowercase_share"] = ev.lowercase_count / (ev.lowercase_count + ev.count) if ev.count else 0.0
    f["any_lowercase"] = float(ev.lowercase_count > 0)
    parts = split_name(form)
    words = form.split()
    core = [w for w in (parts.first, *parts.middle, parts.last) if w]
    f["one_word"] = float(len(words) == 1)
    f["three_words_or_more"] = float(len(words) >= 3)
    f["title_in_form"] = float(parts.title is not None)
    first = core[0] if core else words[0]
    last = core[-1] if core else words[-1]
    f["first_given_births"] = _log_scaled(given_name_count(first), 14.0)
    f["first_given_known"] = float(given_name_count(first) > 0)
    f["last_given_births"] = _log_scaled(given_name_count(last), 14.0) if len(core) > 1 else 0.0
    lower_words = [w.lower().rstrip(".") for w in words]
    f["word_in_not_names"] = float(any(w in NOT_NAMES and w not in HONORIFICS for w in lower_words))
    # The interjection list yields to the work's own speech tags: "said Pooh" makes Pooh a speaker.
    # Only a tag with the name after its verb counts: a quote's opening "Halloa!" before "cried
    # Tobias" is often parsed as the verb's subject.
    interjection = len(words) == 1 and lower_words[0] in INTERJECTIONS
    f["interjection"] = float(interjection and not ev.cues["speech_subject_after_verb"])
    f["last_word_place_head"] = float(len(words) > 1 and lower_words[-1] in PLACE_HEADS)
    f["place_ending"] = float(last.lower().endswith(PLACE_ENDINGS))
    f["tail_of_titled_form"] = float(form in titled_tails)
    f["word_of_longer_form"] = float(form in longer_words)
    f["hyphenated"] = float("-" in form)
    f["short"] = float(len(last) <= 3)
    # The hand-set votes, per occurrence, as two more features.
    f["rule_person"] = max(min(ev.person / max(ev.count, 1), 4.0), -4.0) / 4.0
    f["rule_other"] = min(ev.other / max(ev.count, 1), 4.0) / 4.0
    f["rule_says_person"] = float(is_person(ev))
    return f


def evidence_features(evidence: Mapping[str, FormEvidence]) -> dict[str, dict[str, float]]:
    """Features of every form of one work (some features look at the other forms)."""
    titled_tails: set[str] = set()
    longer_words: set[str] = set()
    for form, ev in evidence.items():
        words = form.split()
        if len(words) > 1:
            for n in range(1, len(words)):
                longer_words.add(" ".join(words[n:]))
                longer_words.add(" ".join(words[:n]))
                if any(o.has_title for o in ev.occurrences):
                    titled_tails.add(" ".join(words[n:]))
    return {form: form_features(form, ev, titled_tails, longer_words) for form, ev in evidence.items()}


@dataclass(frozen=True)
class NameModel:
    """Logistic-regression weights over named features, and the probability a person needs."""

    weights: Mapping[str, float]
    threshold: float

    def probability(self, features: Mapping[str, float]) -> float:
        z = sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def person_forms(self, evidence: Mapping[str, FormEvidence], kb_kind: Callable[[str], str | None]) -> set[str]:
        """The forms judged people. The knowledge base outranks the model, which never saw a
        fandom: a KB character is a person, a KB place is not. A title-only form ("the
        General") is a role, not a name, and keeps the rule decision."""
        features = evidence_features(evidence)
        people = set()
        for form, ev in evidence.items():
            if not ev.count:
                continue
            kind = kb_kind(form)
            if kind is not None:
                if kind == "character":
                    people.add(form)
                continue
            if any(o.title_only for o in ev.occurrences):
                if is_person(ev):
                    people.add(form)
            elif self.probability(features[form]) >= self.threshold:
                people.add(form)
        return people

    def to_dict(self) -> dict:
        return {"threshold": self.threshold, "weights": dict(self.weights)}


@lru_cache(maxsize=1)
def load_name_model() -> NameModel:
    """The shipped model, read once per process."""
    try:
        data = json.loads(resources.files("ficlens").joinpath(MODEL_FILE).read_text("utf-8"))
        return NameModel(weights=data["weights"], threshold=float(data["threshold"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NameDataError(f"name model {MODEL_FILE} is missing or damaged ({exc}); reinstall ficlens") from None
