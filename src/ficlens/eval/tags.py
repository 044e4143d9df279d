"""Scoring the tags ficlens infers against the tags the author gave: `ficlens eval tags DIR`.

Works downloaded from AO3 (HTML or EPUB) carry their author's tags in the preface. Those tags are
the label: rating, archive warnings, categories, fandoms, characters and relationships. Each work
is read, its author tags kept as gold, and the work analysed like any user's file; the profile's
`tags` (and `relationships`) are then compared with the author's.

Author tags are claims, not truth — authors rate up, tag characters who appear for one line, and
opt out of warnings — so every comparison is defined to be fair to both sides: "Not Rated" and
"Creator Chose Not To Use Archive Warnings" take a work out of the metric they concern rather than
counting as a disagreement. The metric definitions are in docs/evaluation.md; this module is
their executable form.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from ..errors import FiclensError, InputNotFound, UnreadableInput
from ..kb import KnowledgeBase, load_kb, normalize_alias
from ..model import AuthorTags, Work
from ..ao3vocab import CATEGORIES, GEN, GENERAL, OPT_OUTS, RATING_LETTERS, RATINGS
from ..ao3vocab import NO_WARNINGS as NO_WARNINGS_TAG
from ..ao3vocab import NOT_RATED as NOT_RATED_TAG
from ..tagspell import (
    RATING_LEVELS,
    WARNING_NAMES,
    FandomIdentity,
    character_names,
    is_original_character,
    parse_relationship_tag,
    rating_level,
    tag_key,
)
from .harness import analyse_or_empty
from .litbank import PRF
from .mapping import Accuracy, fmt, ratio
from .split import in_split

log = logging.getLogger(__name__)

SUFFIXES = (".html", ".htm", ".xhtml", ".epub")

# Author tags are compared by `tag_key`, so the fixed AO3 tags are too.
NOT_RATED = tag_key(NOT_RATED_TAG)
NO_WARNINGS = tag_key(NO_WARNINGS_TAG)
# AO3 spelt the opt-out "Choose Not To Use Archive Warnings" before 2021; both mean the same.
OPTED_OUT = {tag_key(tag) for tag in OPT_OUTS}
# The additional-tag score compares the most confident suggestions with the author's own tags.
TOP_ADDITIONAL = 5

_CATEGORY_KEYS = {normalize_alias(c): c for c in CATEGORIES}

# Suggestions that state that something is absent. They have nothing in the text to point at,
# so they are counted apart from the evidence coverage of the suggestions that claim content.
ABSENCE_CLAIMS = {("rating", tag_key(RATINGS[GENERAL])), ("warnings", NO_WARNINGS), ("categories", tag_key(GEN))}


@dataclass(frozen=True)
class Pairing:
    """A relationship tag taken apart: romantic `A/B(/C…)` or platonic `A & B(& C…)`."""

    tag: str
    type: str  # "romantic" | "platonic"
    people: tuple[str, ...]

    @classmethod
    def parse(cls, tag: str) -> "Pairing":
        key = tag_key(tag)
        romantic, people = parse_relationship_tag(key)
        return cls(key, "romantic" if romantic else "platonic", tuple(people))

    def has_original_character(self) -> bool:
        return any(is_original_character(person) for person in self.people)

    def same_pair(self, other: "Pairing") -> bool:
        """Same type and the same people in any order, each matched one to one by
        `character_names` ("Kylo Ren/Rey" is the pair of "Rey (Star Wars)/Ben Solo | Kylo Ren")."""
        if self.type != other.type or len(self.people) != len(other.people):
            return False
        mine = [character_names(p) for p in self.people]
        theirs = [character_names(p) for p in other.people]
        return any(all(a & b for a, b in zip(mine, order)) for order in itertools.permutations(theirs))


def match_count(gold: list, predicted: list, same: Callable[[Any, Any], bool]) -> int:
    """How many gold items find a predicted partner, each partner used once (greedy, in order)."""
    free = list(predicted)
    matched = 0
    for item in gold:
        partner = next((p for p in free if same(item, p)), None)
        if partner is not None:
            free.remove(partner)
            matched += 1
    return matched


def additional_key(tag: str) -> str:
    """How an additional tag is compared: `tag_key` without a trailing fandom or "- Freeform"
    disambiguator ("Fluff - Freeform", "Domestic Fluff (Good Omens)" count as the tag itself)."""
    key = re.sub(r"\s*-\s*freeform$", "", tag_key(tag))
    return re.sub(r"\s*\([^()]*\)$", "", key).strip()


def top_additional(items: list[Mapping[str, Any]], n: int = TOP_ADDITIONAL) -> list[str]:
    """The keys of the `n` most confident additional-tag suggestions, once each (ties: listed order)."""
    ranked = sorted(enumerate(items), key=lambda pair: (-float(pair[1].get("confidence") or 0), pair[0]))
    return _unique(additional_key(item["tag"]) for _, item in ranked)[:n]


def _unique(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(k for k in keys if k))


def _canonical(tags: Iterable[str], known: Mapping[str, str]) -> set[str]:
    """The tags that are one of `known` (compared by `tag_key`), spelt canonically; others dropped."""
    return {known[key] for key in map(tag_key, tags) if key in known}


# ---------------------------------------------------------------------------------------------
# Gold: the author's tags


@dataclass
class TagGold:
    """The author's tags of one work, in the form the metrics compare."""

    rating: int | None  # index into RATINGS; None when not rated or absent
    not_rated: bool
    warnings: set[str] | None  # the real warnings claimed; None when the author opted out
    categories: set[str]
    fandoms: list[str]  # tag_key of each fandom tag
    kb_fandoms: set[str]  # ids of the KB fandoms among them
    characters: list[str]  # character tags, original-character placeholders left out
    relationships: list[Pairing]
    original_characters: int  # character and relationship tags left out as placeholders
    additional: set[str] = field(default_factory=set)  # additional_key of each additional (freeform) tag

    @classmethod
    def from_author_tags(cls, tags: AuthorTags, kb: KnowledgeBase | FandomIdentity) -> "TagGold":
        rating_key = tag_key(tags.rating) if tags.rating else None
        warning_keys = {tag_key(w) for w in tags.warnings}
        warnings = None if OPTED_OUT & warning_keys else _canonical(tags.warnings, WARNING_NAMES)
        fandoms = _unique(tag_key(f) for f in tags.fandoms)
        identity = kb if isinstance(kb, FandomIdentity) else FandomIdentity(kb)
        kb_fandoms = {found for found in map(identity.kb_id, tags.fandoms) if found is not None}
        characters = [c for c in _unique(tag_key(c) for c in tags.characters) if not is_original_character(c)]
        pairings = [Pairing.parse(r) for r in _unique(tag_key(r) for r in tags.relationships)]
        placeholders = sum(map(is_original_character, tags.characters))
        placeholders += sum(p.has_original_character() for p in pairings)
        return cls(
            rating=RATING_LEVELS.get(rating_key) if rating_key else None,
            not_rated=rating_key == NOT_RATED,
            warnings=warnings,
            categories=_canonical(tags.categories, _CATEGORY_KEYS),
            fandoms=fandoms,
            kb_fandoms=kb_fandoms,
            characters=characters,
            relationships=[p for p in pairings if not p.has_original_character()],
            original_characters=placeholders,
            additional={additional_key(t) for t in tags.additional} - {""},
        )


# ---------------------------------------------------------------------------------------------
# Predictions: the profile's tags (JSON form)


def _suggestions(profile: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    tags = profile.get("tags") or {}
    value = tags.get(name)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("tag"), str):
            raise UnreadableInput(f"profile tags.{name}: every suggestion needs a string 'tag'")
    return items


def top_suggestion(items: list[Mapping[str, Any]]) -> str | None:
    """The tag of the most confident suggestion; ties go to the one listed first."""
    best = None
    for item in items:
        if best is None or float(item.get("confidence") or 0) > float(best.get("confidence") or 0):
            best = item
    return best["tag"] if best is not None else None


def predicted_relationships(profile: Mapping[str, Any]) -> list[Pairing]:
    """The relationship tags ficlens suggests (`tags.relationships`), once each. The relationship
    layer (`relationships[]`) records every bond found, minor ones too; an author tags only the
    ones the work is about, so the suggested tags are what compares with the author's."""
    tags = [s["tag"] for s in _suggestions(profile, "relationships")]
    return [Pairing.parse(t) for t in _unique(tag_key(t) for t in tags)]


# ---------------------------------------------------------------------------------------------
# Scores


@dataclass
class EvidenceCount:
    """Suggestions that claim content and how many of them point at the text, plus absence claims."""

    suggestions: int = 0
    with_evidence: int = 0
    absence_claims: int = 0
    absence_with_evidence: int = 0
    missing: list[str] = field(default_factory=list)  # "field: tag" of each claim without evidence

    @property
    def coverage(self) -> float | None:
        return ratio(self.with_evidence, self.suggestions)

    def __add__(self, other: "EvidenceCount") -> "EvidenceCount":
        return EvidenceCount(
            self.suggestions + other.suggestions,
            self.with_evidence + other.with_evidence,
            self.absence_claims + other.absence_claims,
            self.absence_with_evidence + other.absence_with_evidence,
            self.missing + other.missing,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "suggestions": self.suggestions,
            "with_evidence": self.with_evidence,
            "coverage": self.coverage,
            "absence_claims": self.absence_claims,
            "absence_with_evidence": self.absence_with_evidence,
            "without_evidence": self.missing,
        }


def count_evidence(profile: Mapping[str, Any]) -> EvidenceCount:
    """Every TagSuggestion in `tags` and every item of `relationships`, by whether it has evidence."""
    count = EvidenceCount()
    for name in ("fandoms", "rating", "warnings", "categories", "relationships", "characters", "additional"):
        for item in _suggestions(profile, name):
            has = bool(item.get("evidence"))
            if (name, tag_key(item["tag"])) in ABSENCE_CLAIMS:
                count.absence_claims += 1
                count.absence_with_evidence += has
                continue
            count.suggestions += 1
            count.with_evidence += has
            if not has:
                count.missing.append(f"{name}: {item['tag']}")
    for item in profile.get("relationships") or []:
        if isinstance(item, Mapping):
            has = bool(item.get("evidence"))
            count.suggestions += 1
            count.with_evidence += has
            if not has:
                count.missing.append(f"relationship: {item.get('tag')}")
    return count


@dataclass
class TagWorkScore:
    work_id: str
    source: str
    gold_rating: int | None = None
    predicted_rating: int | None = None
    not_rated: bool = False
    rating_exact: bool | None = None  # None: not scored (Not Rated or no rating given)
    rating_within_one: bool | None = None
    warnings: PRF = field(default_factory=PRF)
    warnings_exact: bool | None = None  # None: the author opted out of warnings
    kb_work: bool = False  # an author fandom is in the knowledge base
    top_fandom: str | None = None
    fandom_right: bool = False
    fandom_recall: PRF = field(default_factory=PRF)  # KB fandoms of the author suggested at all
    characters: PRF = field(default_factory=PRF)
    relationships_exact: PRF = field(default_factory=PRF)
    relationships_pair: PRF = field(default_factory=PRF)
    romantic: PRF = field(default_factory=PRF)  # romantic (`/`) tags only, same pair
    categories: PRF = field(default_factory=PRF)
    categories_exact: bool | None = None  # None: the author gave no category
    additional_top: PRF = field(default_factory=PRF)  # top suggestions the author also used
    fandom_guessed: bool = False  # a fandom suggested at all
    original_characters: int = 0
    evidence: EvidenceCount = field(default_factory=EvidenceCount)
    # the tags compared, normalised, so a disagreement can be read without re-running
    compared: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        def rating(index: int | None) -> str | None:
            return RATINGS[index] if index is not None else None

        return {
            "work": self.work_id,
            "source": self.source,
            "rating": {
                "author": NOT_RATED_TAG if self.not_rated else rating(self.gold_rating),
                "predicted": rating(self.predicted_rating),
                "exact": self.rating_exact,
                "within_one": self.rating_within_one,
            },
            "warnings": {**self.warnings.to_dict(), "exact": self.warnings_exact},
            "fandom": {
                "kb_work": self.kb_work,
                "top": self.top_fandom,
                "right": self.fandom_right,
                "recall": self.fandom_recall.to_dict(),
            },
            "characters": self.characters.to_dict(),
            "relationships_exact": self.relationships_exact.to_dict(),
            "relationships_pair": self.relationships_pair.to_dict(),
            "romantic_relationships": self.romantic.to_dict(),
            "categories": {**self.categories.to_dict(), "exact": self.categories_exact},
            "additional_top": self.additional_top.to_dict(),
            "original_character_tags": self.original_characters,
            "evidence": self.evidence.to_dict(),
            "compared": self.compared,
            "error": self.error,
        }


def _prf(gold: list, predicted: list, same: Callable[[Any, Any], bool]) -> PRF:
    return PRF(len(gold), len(predicted), match_count(gold, predicted, same))


def score_tags(
    gold: TagGold,
    profile: Mapping[str, Any],
    kb: KnowledgeBase | FandomIdentity,
    work_id: str = "",
    source: str = "",
) -> TagWorkScore:
    """Score one profile (JSON form) against one work's author tags."""
    score = TagWorkScore(work_id, source, gold_rating=gold.rating, not_rated=gold.not_rated)

    rating = _suggestions(profile, "rating")
    score.predicted_rating = rating_level(rating[0]["tag"]) if rating else None
    if gold.rating is not None:
        predicted = score.predicted_rating
        score.rating_exact = predicted == gold.rating
        score.rating_within_one = predicted is not None and abs(predicted - gold.rating) <= 1

    predicted_warnings = _canonical((s["tag"] for s in _suggestions(profile, "warnings")), WARNING_NAMES)
    if gold.warnings is not None:
        score.warnings = PRF(len(gold.warnings), len(predicted_warnings), len(gold.warnings & predicted_warnings))
        score.warnings_exact = gold.warnings == predicted_warnings

    fandoms = _suggestions(profile, "fandoms")
    score.kb_work = bool(gold.kb_fandoms)
    score.top_fandom = top_suggestion(fandoms)
    score.fandom_guessed = score.top_fandom is not None

    fandom_id = (kb if isinstance(kb, FandomIdentity) else FandomIdentity(kb)).id

    gold_ids = {fandom_id(f) for f in gold.fandoms}
    if score.top_fandom is not None:
        score.fandom_right = fandom_id(score.top_fandom) in gold_ids
    else:
        score.fandom_right = not score.kb_work  # unknown rather than a guess
    suggested_ids = _unique(fandom_id(s["tag"]) for s in fandoms)
    score.fandom_recall = PRF(len(gold.kb_fandoms), len(suggested_ids), len(gold.kb_fandoms & set(suggested_ids)))

    characters = _unique(tag_key(s["tag"]) for s in _suggestions(profile, "characters"))
    predicted_characters = [c for c in characters if not is_original_character(c)]
    score.characters = _prf(
        gold.characters, predicted_characters, lambda g, p: bool(character_names(g) & character_names(p))
    )
    pairings = [p for p in predicted_relationships(profile) if not p.has_original_character()]
    score.relationships_exact = _prf(gold.relationships, pairings, lambda g, p: g.tag == p.tag)
    score.relationships_pair = _prf(gold.relationships, pairings, Pairing.same_pair)
    score.romantic = _prf(
        [p for p in gold.relationships if p.type == "romantic"],
        [p for p in pairings if p.type == "romantic"],
        Pairing.same_pair,
    )
    additional = top_additional(_suggestions(profile, "additional"))
    if gold.additional:  # an author who uses no additional tags says nothing about ours
        score.additional_top = PRF(len(gold.additional), len(additional), len(gold.additional & set(additional)))

    predicted_categories = _canonical((s["tag"] for s in _suggestions(profile, "categories")), _CATEGORY_KEYS)
    if gold.categories:
        score.categories = PRF(
            len(gold.categories), len(predicted_categories), len(gold.categories & predicted_categories)
        )
        score.categories_exact = gold.categories == predicted_categories

    score.original_characters = gold.original_characters
    score.evidence = count_evidence(profile)
    score.compared = {
        "author": {
            "warnings": sorted(gold.warnings or ()),
            "fandoms": gold.fandoms,
            "characters": gold.characters,
            "relationships": [p.tag for p in gold.relationships],
            "categories": sorted(gold.categories),
            "additional": sorted(gold.additional),
        },
        "predicted": {
            "warnings": sorted(predicted_warnings),
            "fandoms": [s["tag"] for s in fandoms],
            "characters": predicted_characters,
            "relationships": [p.tag for p in pairings],
            "categories": sorted(predicted_categories),
            "additional": additional,
        },
    }
    return score


# ---------------------------------------------------------------------------------------------
# Whole runs


def _judged(name: str, where: Callable[[TagWorkScore], bool] = lambda work: True) -> property:
    """A run's right/total of one yes/no work judgement, over the works `where` selects and that
    were judged at all (None = not scored: Not Rated, warnings opted out, no category)."""

    def total(report: "TagReport") -> Accuracy:
        accuracy = Accuracy()
        for work in report.works:
            flag = getattr(work, name)
            if where(work) and flag is not None:
                accuracy.add(flag, True)
        return accuracy

    return property(total)


def _summed(name: str, zero: Callable[[], Any]) -> property:
    """A run's total of one work score: counts summed over works (micro-averaged)."""
    return property(lambda report: sum((getattr(work, name) for work in report.works), zero()))


@dataclass
class TagReport:
    works: list[TagWorkScore] = field(default_factory=list)
    files: int = 0
    untagged: list[str] = field(default_factory=list)  # works without any author tag: skipped
    unreadable: list[str] = field(default_factory=list)  # "path: reason"

    warnings = _summed("warnings", PRF)
    fandom_recall = _summed("fandom_recall", PRF)
    characters = _summed("characters", PRF)
    relationships_exact = _summed("relationships_exact", PRF)
    relationships_pair = _summed("relationships_pair", PRF)
    romantic = _summed("romantic", PRF)
    additional_top = _summed("additional_top", PRF)
    categories = _summed("categories", PRF)
    evidence = _summed("evidence", EvidenceCount)

    rating_exact = _judged("rating_exact")
    rating_within_one = _judged("rating_within_one")
    warnings_exact = _judged("warnings_exact")
    categories_exact = _judged("categories_exact")
    fandom_kb = _judged("fandom_right", lambda work: work.kb_work)
    fandom_other = _judged("fandom_right", lambda work: not work.kb_work)
    fandom_guessed_other = _judged("fandom_guessed", lambda work: not work.kb_work)
    fandom_all = _judged("fandom_right")

    def to_dict(self) -> dict[str, Any]:
        def acc(a: Accuracy) -> dict[str, Any]:
            return {"total": a.total, "correct": a.correct, "accuracy": a.accuracy}

        return {
            "benchmark": "tags",
            "files": self.files,
            "works": len(self.works),
            "untagged": self.untagged,
            "unreadable": self.unreadable,
            "failed": [{"work": w.work_id, "error": w.error} for w in self.works if w.error],
            "totals": {
                "rating_exact": acc(self.rating_exact),
                "rating_within_one": acc(self.rating_within_one),
                "not_rated": sum(w.not_rated for w in self.works),
                "warnings": self.warnings.to_dict(),
                "warnings_exact": acc(self.warnings_exact),
                "warnings_opted_out": sum(w.warnings_exact is None for w in self.works),
                "fandom_kb_works": acc(self.fandom_kb),
                "fandom_other_works": acc(self.fandom_other),
                "fandom_guessed_other_works": acc(self.fandom_guessed_other),
                "fandom_all_works": acc(self.fandom_all),
                "fandom_recall": self.fandom_recall.to_dict(),
                "characters": self.characters.to_dict(),
                "relationships_exact": self.relationships_exact.to_dict(),
                "relationships_pair": self.relationships_pair.to_dict(),
                "romantic_relationships": self.romantic.to_dict(),
                "additional_top": self.additional_top.to_dict(),
                "categories": self.categories.to_dict(),
                "categories_exact": acc(self.categories_exact),
                "original_character_tags": sum(w.original_characters for w in self.works),
                "evidence": self.evidence.to_dict(),
            },
            "works_scored": [w.to_dict() for w in self.works],
        }

    def to_text(self) -> str:
        header = (
            f"{'work':<30} {'rating':>6} {'warnR':>6} {'warnP':>6} {'fandom':>7} {'charR':>6} {'charP':>6} "
            f"{'relR':>6} {'pairR':>6} {'cat':>4} {'evid':>7}"
        )
        rows = ["Tags: inferred vs author tags (scores in %)", header, "-" * len(header)]

        def rating_cell(work: TagWorkScore) -> str:
            if work.gold_rating is None:
                return "NR" if work.not_rated else "—"
            predicted = RATING_LETTERS[work.predicted_rating] if work.predicted_rating is not None else "?"
            return f"{RATING_LETTERS[work.gold_rating]}→{predicted}"

        def yes_no(flag: bool | None) -> str:
            return "—" if flag is None else ("ok" if flag else "x")

        for work in self.works:
            label = work.work_id if len(work.work_id) <= 29 else work.work_id[:28] + "…"
            label += "!" if work.error else ""
            fandom = ("ok" if work.fandom_right else "x") + ("" if work.kb_work else "*")
            warn_r = fmt(work.warnings.recall) if work.warnings_exact is not None else f"{'opt':>6}"
            warn_p = fmt(work.warnings.precision) if work.warnings_exact is not None else f"{'out':>6}"
            rows.append(
                f"{label:<30} {rating_cell(work):>6} {warn_r} {warn_p} {fandom:>7} {fmt(work.characters.recall)} "
                f"{fmt(work.characters.precision)} {fmt(work.relationships_exact.recall)} "
                f"{fmt(work.relationships_pair.recall)} {yes_no(work.categories_exact):>4} "
                f"{work.evidence.with_evidence:>3}/{work.evidence.suggestions:<3}"
            )
        rows.append("-" * len(header))
        t = self
        rows += [
            f"works scored: {len(t.works)} of {t.files} files ({len(t.untagged)} without author tags, "
            f"{len(t.unreadable)} unreadable, {sum(bool(w.error) for w in t.works)} failed analyses)",
            f"rating exact           {fmt(t.rating_exact.accuracy)}  ({t.rating_exact.correct}/{t.rating_exact.total}; "
            f"{sum(w.not_rated for w in t.works)} Not Rated left out)",
            f"rating within one step {fmt(t.rating_within_one.accuracy)}  "
            f"({t.rating_within_one.correct}/{t.rating_within_one.total})",
            f"warnings P / R / F1    {fmt(t.warnings.precision)} {fmt(t.warnings.recall)} {fmt(t.warnings.f1)}  "
            f"(gold {t.warnings.gold}, predicted {t.warnings.predicted}); exact set {fmt(t.warnings_exact.accuracy)} "
            f"({t.warnings_exact.correct}/{t.warnings_exact.total}; "
            f"{sum(w.warnings_exact is None for w in t.works)} opted out)",
            f"fandom, KB works       {fmt(t.fandom_kb.accuracy)}  ({t.fandom_kb.correct}/{t.fandom_kb.total})",
            f"fandom, other works    {fmt(t.fandom_other.accuracy)}  ({t.fandom_other.correct}/{t.fandom_other.total}"
            f" given no fandom); a fandom guessed {fmt(t.fandom_guessed_other.accuracy)}",
            f"fandom, all works      {fmt(t.fandom_all.accuracy)}  ({t.fandom_all.correct}/{t.fandom_all.total})",
            f"characters P / R       {fmt(t.characters.precision)} {fmt(t.characters.recall)}  "
            f"(gold {t.characters.gold}, predicted {t.characters.predicted}, matched {t.characters.matched})",
            f"relationships exact R  {fmt(t.relationships_exact.recall)}  "
            f"same pair R {fmt(t.relationships_pair.recall)}"
            f"  P {fmt(t.relationships_pair.precision)}  (gold {t.relationships_pair.gold}, "
            f"predicted {t.relationships_pair.predicted})",
            f"romantic rels P / R    {fmt(t.romantic.precision)} {fmt(t.romantic.recall)}  "
            f"(gold {t.romantic.gold}, predicted {t.romantic.predicted}, matched {t.romantic.matched})",
            f"additional top-{TOP_ADDITIONAL} P    {fmt(t.additional_top.precision)}  "
            f"({t.additional_top.matched}/{t.additional_top.predicted} suggestions the author also used; "
            f"R {fmt(t.additional_top.recall)} of {t.additional_top.gold})",
            f"categories exact set   {fmt(t.categories_exact.accuracy)}  ({t.categories_exact.correct}/"
            f"{t.categories_exact.total}); P / R {fmt(t.categories.precision)} {fmt(t.categories.recall)}",
            f"evidence coverage      {fmt(t.evidence.coverage)}  ({t.evidence.with_evidence}/{t.evidence.suggestions} "
            f"suggestions; {t.evidence.absence_claims} absence claims, "
            f"{t.evidence.absence_with_evidence} with evidence)",
            "rating = author→predicted (G/T/M/E, NR = Not Rated); fandom * = author fandom not in the KB",
            "(right = no fandom suggested); warn = the four real warnings; char/rel/pair = recall, see",
            "docs/evaluation.md; evid = suggestions with evidence / suggestions claiming content.",
        ]
        for work in self.works:
            if work.error:
                rows.append(f"! {work.work_id}: {work.error}")
        for line in t.unreadable:
            rows.append(f"! unreadable: {line}")
        return "\n".join(rows) + "\n"


def tagged_files(directory: Path) -> list[Path]:
    """The AO3 HTML/EPUB files under `directory` (recursively), in name order."""
    root = Path(directory)
    if not root.exists():
        raise InputNotFound(f"{root}: no such directory")
    if root.is_file():
        return [root]
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise UnreadableInput(f"{root}: no .html or .epub files")
    return files


def evaluate_tags(
    directory: Path,
    analyze: Callable[[Work], dict],
    kb: KnowledgeBase | None = None,
    limit: int | None = None,
    split: str | None = None,
) -> TagReport:
    """Read each HTML/EPUB work under `directory` (only those of `split`, by file name: see
    `eval/split.py`), analyse it with `analyze` and score its tags.

    A work without author tags is skipped (and listed); a file that cannot be read is listed as
    unreadable. A work whose analysis raises a FiclensError is scored as an empty profile and
    flagged, so that totals never look better for the works that failed.
    """
    from ..read import read

    identity = FandomIdentity(kb if kb is not None else load_kb())
    files = [path for path in tagged_files(directory) if in_split(path.stem, split)]
    if limit is not None:
        files = files[: max(limit, 0)]
    report = TagReport(files=len(files))
    for path in files:
        try:
            work = read(path)
        except FiclensError as exc:
            log.warning("%s: %s", path, exc.message)
            report.unreadable.append(f"{path}: {exc.message}")
            continue
        if not _has_label(work.author_tags):
            report.untagged.append(str(path))
            continue
        profile, error = analyse_or_empty(analyze, work.id, work)
        gold = TagGold.from_author_tags(work.author_tags, identity)
        score = score_tags(gold, profile, identity, work.id, str(path))
        score.error = error
        report.works.append(score)
    return report


def _has_label(tags: AuthorTags) -> bool:
    """Whether the author tagged anything this evaluation scores (language or stats alone do not)."""
    return any((tags.rating, tags.warnings, tags.categories, tags.fandoms, tags.characters, tags.relationships))
