"""Suggesting an AO3 rating from what the story text shows.

Three kinds of content raise a rating: sex, language and violence. Each is judged on its own
into a level (General … Explicit) with a confidence, and the work gets the highest level any of
them reaches, as AO3 raters do. Sex and violence are judged on their *densest passage* (one
scene is enough to make a work Explicit, however long the work), language on its *density* over
the whole story (one "fuck" in 20,000 words is not a Mature work). Where a judgement falls just
short of a level, the higher level is suggested with a low confidence: AO3 asks creators to rate
up when unsure. See docs/tags.md for the thresholds and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis import Analysis
from ..component import component
from ..ao3vocab import EXPLICIT, GENERAL, MATURE, RATINGS, TEEN
from ..evidence import MAX_EVIDENCE, opening_evidence
from ..model import TagSuggestion
from .lexicon import Hit, StoryScan, memoised_on_scan, story_scan


SCENE_CHARS = 1500  # a "scene": the window in which sexual or violent vocabulary is summed
SEXUAL_CONTEXT_CHARS = 300  # a dual-use word ("thrust") is sexual only this close to another
NON_CONSENT_CONTEXT_CHARS = 600
DIALOGUE_FACTOR = 0.5  # violence *talked about* counts half: a threat is not a depiction

# The thresholds below were tuned on the tune half of ao3-dev (real AO3 works and the ratings
# their authors chose; docs/tags.md, docs/evaluation.md), a coarse grid per threshold, keeping
# a value only where the check half did not drop. Authors rate by the heaviest scene, and a
# suggestive word or two, a couple of swear words or a scuffle do not move them off General.
EXPLICIT_SCENE = 8.0  # sexual weight in the densest scene, with ≥ 2 explicit terms there
EXPLICIT_TERMS = 2
MATURE_SCENE = 5.0  # sexual weight in the densest scene
MATURE_ACTS = 3  # named sex acts anywhere ("they had sex", "made love")
TEEN_SCENE = 2.0
STRONG_MATURE = 10  # strong words, at ≥ STRONG_MATURE_DENSITY per 1,000 words
STRONG_MATURE_DENSITY = 3.5
MILD_TEEN = 2  # mild words, at ≥ 1 per 1,000 words
VIOLENCE_MATURE_GRAPHIC = 2  # graphic terms in a scene of weight ≥ VIOLENCE_MATURE_SCENE
VIOLENCE_MATURE_SCENE = 7.0
VIOLENCE_TEEN_SERIOUS = 3  # moderate or graphic terms anywhere
VIOLENCE_TEEN_WEIGHT = 5.0  # or this much violence weight in all


@dataclass
class Finding:
    """One kind of content judged on its own: the level it calls for and the hits behind it."""

    kind: str  # "sexual" | "profanity" | "violence"
    level: int
    confidence: float
    hits: list[Hit] = field(default_factory=list)  # strongest first


@dataclass(frozen=True)
class Weighted:
    hit: Hit
    weight: float


def densest_window(items: list[Weighted], span: int) -> tuple[float, list[Weighted]]:
    """The largest total weight of items starting within `span` characters of each other."""
    best, best_items = 0.0, []
    total, left = 0.0, 0
    for right, item in enumerate(items):
        total += item.weight
        while item.hit.start - items[left].hit.start > span:
            total -= items[left].weight
            left += 1
        if total > best:
            best, best_items = total, items[left : right + 1]
    return best, best_items


def strongest(items: list[Weighted]) -> list[Hit]:
    return [w.hit for w in sorted(items, key=lambda w: (-w.weight, w.hit.start))]


@memoised_on_scan
def sexual_weights(scan: StoryScan) -> list[Weighted]:
    """Sexual hits with the weight they count for; dual-use words only near other sexual words."""
    hits = scan.hits["sexual"]
    anchors = [h.start for h in hits if h.category != "dual_use"]
    weighted = []
    for hit in hits:
        if hit.category == "dual_use" and not any(abs(a - hit.start) <= SEXUAL_CONTEXT_CHARS for a in anchors):
            continue
        weighted.append(Weighted(hit, hit.weight))
    return weighted


def is_explicit_term(hit: Hit) -> bool:
    return hit.category in ("explicit", "dual_use")


def named_non_consent(scan: StoryScan, sexual: list[Weighted]) -> list[Weighted]:
    """Words that name non-consent ("against her will") next to any sexual word name a sex act,
    even when the prose describes nothing: such a scene is at least Mature."""
    anchors = [w.hit.start for w in sexual]
    return [
        Weighted(h, 2.0)
        for h in scan.hits["noncon"]
        if h.category == "direct" and any(abs(a - h.start) <= NON_CONSENT_CONTEXT_CHARS for a in anchors)
    ]


@memoised_on_scan
def judge_sexual(scan: StoryScan) -> Finding:
    weighted = sexual_weights(scan)
    weighted = sorted(weighted + named_non_consent(scan, weighted), key=lambda w: w.hit.start)
    if not weighted:
        return Finding("sexual", GENERAL, 0.0)
    score, scene = densest_window(weighted, SCENE_CHARS)
    explicit_terms = sum(1 for w in scene if is_explicit_term(w.hit))
    acts = [w for w in weighted if w.hit.category in ("act", "direct")]
    in_scene = {w.hit for w in scene}
    hits = strongest(scene) + [h for h in strongest(weighted) if h not in in_scene]
    if explicit_terms >= EXPLICIT_TERMS and score >= EXPLICIT_SCENE:
        return Finding("sexual", EXPLICIT, min(0.95, 0.55 + 0.03 * (score - EXPLICIT_SCENE)), hits)
    if score >= MATURE_SCENE or len(acts) >= MATURE_ACTS:
        return Finding("sexual", MATURE, min(0.8, 0.45 + 0.03 * score), hits)
    if score >= TEEN_SCENE or acts or explicit_terms:
        return Finding("sexual", TEEN, min(0.7, 0.35 + 0.05 * score), hits)
    return Finding("sexual", GENERAL, 0.0, hits)


def judge_profanity(scan: StoryScan) -> Finding:
    hits = scan.hits["profanity"]
    strong = [h for h in hits if h.category == "strong"]
    mild = [h for h in hits if h.category == "mild"]
    per_thousand = 1000.0 / max(scan.words, 1)
    strong_density, mild_density = len(strong) * per_thousand, len(mild) * per_thousand
    ordered = strong + mild
    if len(strong) >= STRONG_MATURE and strong_density >= STRONG_MATURE_DENSITY:
        return Finding("profanity", MATURE, min(0.7, 0.4 + 0.03 * strong_density), ordered)
    if strong:
        return Finding("profanity", TEEN, min(0.9, 0.6 + 0.05 * len(strong)), ordered)
    if len(mild) >= MILD_TEEN and mild_density >= 1:
        return Finding("profanity", TEEN, 0.55 if mild_density >= 2 else 0.35, ordered)
    return Finding("profanity", GENERAL, 0.0, ordered)


def violence_weights(scan: StoryScan) -> list[Weighted]:
    return [
        Weighted(h, h.weight * (DIALOGUE_FACTOR if scan.in_dialogue(h.start) else 1.0)) for h in scan.hits["violence"]
    ]


@memoised_on_scan
def judge_violence(scan: StoryScan) -> Finding:
    """Dense graphic violence makes a work Mature; repeated attacks, wounds or killings Teen."""
    weighted = violence_weights(scan)
    if not weighted:
        return Finding("violence", GENERAL, 0.0)
    score, scene = densest_window(weighted, SCENE_CHARS)
    graphic = sum(1 for w in scene if w.hit.category == "graphic")
    in_scene = {w.hit for w in scene}
    hits = strongest(scene) + [h for h in strongest(weighted) if h not in in_scene]
    if graphic >= VIOLENCE_MATURE_GRAPHIC and score >= VIOLENCE_MATURE_SCENE:
        return Finding("violence", MATURE, min(0.9, 0.45 + 0.03 * score), hits)
    serious = [w for w in weighted if w.hit.category in ("graphic", "moderate")]
    total = sum(w.weight for w in weighted)
    if len(serious) >= VIOLENCE_TEEN_SERIOUS or total >= VIOLENCE_TEEN_WEIGHT:
        return Finding("violence", TEEN, min(0.8, 0.4 + 0.05 * len(serious) + 0.01 * total), hits)
    return Finding("violence", GENERAL, 0.0, hits)


def judge_all(scan: StoryScan) -> list[Finding]:
    return [judge_sexual(scan), judge_profanity(scan), judge_violence(scan)]


def general_confidence(scan: StoryScan, findings: list[Finding]) -> float:
    """How sure "General Audiences" is: less for very short texts and when mild things were seen."""
    confidence = 0.85 if scan.words >= 1000 else 0.7 if scan.words >= 200 else 0.5
    if any(f.hits for f in findings):
        confidence -= 0.15
    return confidence


def decide_rating(scan: StoryScan, findings: list[Finding]) -> TagSuggestion:
    level = max(f.level for f in findings)
    if level == GENERAL:
        mild = scan.evidence_for([h for f in findings for h in f.hits])
        return TagSuggestion(
            RATINGS[GENERAL],
            round(general_confidence(scan, findings), 2),
            mild or opening_evidence(scan.text, scan.part_bounds)[:MAX_EVIDENCE],
        )
    top = [f for f in findings if f.level == level]
    doubt = 1.0
    for finding in top:
        doubt *= 1.0 - finding.confidence
    confidence = min(0.95, 1.0 - doubt)
    ordered = [h for f in sorted(top, key=lambda f: -f.confidence) for h in f.hits]
    ordered += [h for f in findings if f.level < level for h in f.hits if f.level > GENERAL]
    return TagSuggestion(RATINGS[level], round(confidence, 2), scan.evidence_for(ordered))


@component("rating", requires=("profile.stats",), assigns=("profile.tags.rating",))
def detect_rating(analysis: Analysis) -> None:
    """Pipeline component: `profile.tags.rating`. Needs only the work (quotes, if run, refine it)."""
    scan = story_scan(analysis)
    analysis.profile.tags.rating = decide_rating(scan, judge_all(scan))
