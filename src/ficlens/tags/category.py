"""Pipeline component: AO3 categories (F/F, F/M, M/M, Gen, Multi, Other) from the romantic bonds.

AO3 categories describe the *romantic or sexual* relationships of a work by the genders of the
people in them, and a work may have several. Each romantic relationship votes for its category
with its own confidence times how sure both genders are; a character in romances with two or
more partners (or a relationship of three) adds "Multi"; a partner known to be nonbinary makes
"Other"; a partner of unknown gender makes no claim. No romantic bond at all makes "Gen", surer
the longer the story (a short scene may simply not show the romance); like every claim of
absence, its evidence is the story text that was read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..analysis import Analysis
from ..component import component
from ..ao3vocab import GEN
from ..evidence import opening_evidence
from ..model import TagSuggestion


@dataclass(frozen=True)
class CategorySettings:
    # "Gen" is surer the longer the story: a short scene may simply not show the romance. From
    # this many words it is fairly sure, from five times as many surer.
    gen_min_words: int = 500
    min_confidence: float = 0.2  # categories below it are not suggested


DEFAULTS = CategorySettings()


def category_of(genders: list[str]) -> str | None:
    if any(g == "nonbinary" for g in genders):
        return "Other"
    if any(g not in ("male", "female") for g in genders):
        return None
    count = Counter(genders)
    if count["female"] and count["male"]:
        return "F/M"
    return "F/F" if count["female"] else "M/M"


@component(
    "categories",
    requires=("profile.stats", "profile.characters", "profile.relationships"),
    assigns=("profile.tags.categories",),
    settings=CategorySettings,
)
def suggest_categories(analysis: Analysis, settings: CategorySettings = DEFAULTS) -> None:
    profile = analysis.profile
    by_id = {c.id: c for c in profile.characters}
    romantic = [r for r in profile.relationships if r.type == "romantic"]
    votes: dict[str, TagSuggestion] = {}
    for relationship in romantic:
        people = [by_id[i] for i in relationship.characters if i in by_id]
        category = category_of([p.gender for p in people])
        if category is None:
            continue
        certainty = min([p.gender_confidence or 0.5 for p in people], default=0.5)
        confidence = round(relationship.confidence * (0.5 + 0.5 * certainty), 2)
        best = votes.get(category)
        if best is None or confidence > best.confidence:
            votes[category] = TagSuggestion(category, confidence, list(relationship.evidence[:2]))
    partners = Counter(i for r in romantic for i in r.characters)
    poly = [r for r in romantic if len(r.characters) > 2 or any(partners[i] > 1 for i in r.characters)]
    if len(poly) >= 2:
        confidence = round(min(r.confidence for r in poly) * 0.8, 2)
        votes["Multi"] = TagSuggestion("Multi", confidence, [e for r in poly[:2] for e in r.evidence[:1]])
    if not romantic:
        words = profile.stats.words
        least = settings.gen_min_words
        confidence = 0.7 if words >= 5 * least else 0.5 if words >= least else 0.3
        bounds = [(p.start, p.end) for p in profile.work.story_parts()]
        votes[GEN] = TagSuggestion(GEN, confidence, opening_evidence(profile.work.text, bounds)[:3])
    profile.tags.categories = sorted(
        (v for v in votes.values() if v.confidence >= settings.min_confidence), key=lambda t: -t.confidence
    )
