"""The model's two rule-based spaCy steps, `attribute_ruler` and `lemmatizer`, done per array.

Why: in en_core_web_sm they cost about a fifth of the parse (spaCy's `Matcher` walks every token
through 179 rules; the lemmatizer works token by token in Python), more than everything ficlens
does after the parse. Both are pure functions of token attributes, so the same rules, applied in
the same order to numpy columns, give the same tokens. `Parser` uses these only when
`compile_rules` understands every rule of the loaded model (else spaCy's own steps run);
tests/test_fast_rules.py checks that the tokens come out identical.

The attribute ruler's semantics, as in spaCy: every pattern is matched on the doc as it was
before the ruler ran; matches are applied in rule order, a later rule overriding an earlier one;
a rule sets its attributes on the matched span's token `index`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy

# The token attributes the ruler's patterns may test here, and how a pattern names them.
_MATCH_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")


@dataclass(frozen=True)
class _Condition:
    column: int  # index into _MATCH_ATTRS
    kind: str  # "eq", "in", "not_in" or "regex"
    values: Any  # a hash, a tuple of hashes, or a compiled regex


@dataclass(frozen=True)
class _Rule:
    patterns: tuple[tuple[tuple[_Condition, ...], ...], ...]  # per pattern, per token, its conditions
    index: int
    sets: tuple[tuple[int, int], ...]  # (attribute id, value) pairs


class AttributeRules:
    """The attribute ruler's rules, compiled for numpy (see the module docstring)."""

    def __init__(self, rules: list[_Rule], out_attrs: list[int]):
        self.rules = rules
        self.out_attrs = out_attrs
        self._regex_cache: dict[tuple[str, int], bool] = {}

    def __call__(self, doc) -> None:
        from spacy.attrs import IDS

        n = len(doc)
        if n == 0:
            return
        columns = doc.to_array([IDS[name] for name in _MATCH_ATTRS]).reshape(n, len(_MATCH_ATTRS))
        out = doc.to_array(self.out_attrs).reshape(n, len(self.out_attrs))
        position = {attr: i for i, attr in enumerate(self.out_attrs)}
        for rule in self.rules:
            hit = numpy.zeros(n, dtype=bool)
            for pattern in rule.patterns:
                length = len(pattern)
                if length > n:
                    continue
                starts = numpy.ones(n - length + 1, dtype=bool)
                for offset, conditions in enumerate(pattern):
                    for condition in conditions:
                        values = columns[offset : n - length + 1 + offset, condition.column]
                        starts &= self._test(condition, values, doc.vocab.strings)
                index = rule.index if rule.index >= 0 else length + rule.index
                hit[numpy.flatnonzero(starts) + index] = True
            if hit.any():
                for attr, value in rule.sets:
                    out[hit, position[attr]] = value
        doc.from_array(self.out_attrs, out)

    def _test(self, condition: _Condition, values, strings):
        if condition.kind == "eq":
            return values == condition.values
        if condition.kind == "in":
            return numpy.isin(values, condition.values)
        if condition.kind == "not_in":
            return ~numpy.isin(values, condition.values)
        found = numpy.zeros(len(values), dtype=bool)  # regex, on the attribute's string
        for i, value in enumerate(values.tolist()):
            key = (condition.values.pattern, value)
            if key not in self._regex_cache:
                self._regex_cache[key] = bool(condition.values.search(strings[value]))
            found[i] = self._regex_cache[key]
        return found


def compile_rules(ruler) -> AttributeRules | None:
    """`ruler`'s rules for `AttributeRules`, or None when one of them uses anything else."""
    from spacy.attrs import IDS
    from spacy.strings import get_string_id

    rules, out_attrs = [], []
    for spec, attrs in zip(ruler.patterns, ruler.attrs):
        patterns = []
        for pattern in spec["patterns"]:
            tokens = []
            for token in pattern:
                conditions = []
                for name, value in token.items():
                    if name not in _MATCH_ATTRS:
                        return None
                    column = _MATCH_ATTRS.index(name)
                    if isinstance(value, bool):
                        conditions.append(_Condition(column, "eq", int(value)))
                    elif isinstance(value, str):
                        conditions.append(_Condition(column, "eq", get_string_id(value)))
                    elif isinstance(value, dict) and len(value) == 1:
                        (operator, operand), *_ = value.items()
                        if operator in ("IN", "NOT_IN") and all(isinstance(v, str) for v in operand):
                            hashes = numpy.array([get_string_id(v) for v in operand], dtype=numpy.uint64)
                            conditions.append(_Condition(column, operator.lower(), hashes))
                        elif operator == "REGEX" and isinstance(operand, str) and name != "IS_SPACE":
                            conditions.append(_Condition(column, "regex", re.compile(operand)))
                        else:
                            return None
                    else:
                        return None
                tokens.append(tuple(conditions))
            patterns.append(tuple(tokens))
        if not all(isinstance(attr, int) and attr in _settable_attrs(IDS) for attr in attrs):
            return None
        for attr in attrs:
            if attr not in out_attrs:
                out_attrs.append(attr)
        rules.append(_Rule(tuple(patterns), spec["index"], tuple(attrs.items())))
    return AttributeRules(rules, out_attrs) if rules else None


def _settable_attrs(ids) -> set[int]:
    """Token attributes the ruler may set here: plain token fields, written back with from_array."""
    return {ids["POS"], ids["TAG"], ids["DEP"], ids["LEMMA"], ids["MORPH"]}


class Lemmas:
    """spaCy's rule lemmatizer with its per-(word, POS, morphology) answer looked up per array."""

    def __init__(self, lemmatizer):
        self.lemmatizer = lemmatizer
        self._cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc) -> None:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        n = len(doc)
        if n == 0:
            return
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).reshape(n, 4)
        lemmas = rows[:, 3].copy()
        strings = doc.vocab.strings
        keys = rows[:, :3].tolist()
        for i in numpy.flatnonzero(lemmas == 0).tolist():
            key = tuple(keys[i])
            lemma = self._cache.get(key)
            if lemma is None:
                lemma = self._cache[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = lemma
        doc.from_array([LEMMA], lemmas)


def usable_lemmatizer(lemmatizer) -> Lemmas | None:
    """`Lemmas` for a rule lemmatizer that keeps lemmas already set (as the model's does)."""
    if getattr(lemmatizer, "mode", None) != "rule" or getattr(lemmatizer, "overwrite", True):
        return None
    if not all(lemmatizer.lookups.has_table(t) for t in ("lemma_rules", "lemma_index", "lemma_exc")):
        return None
    return Lemmas(lemmatizer)
