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


@dataclass(frozen=True)
class RatingSettings:
    """The thresholds of the rating judgements. The warnings, relationships and additional-tag
    components read the same judgements (`judge_sexual`, `judge_violence`, `sexual_weights`) at
    these defaults; overriding them for the `rating` component changes the rating alone."""

    # A "scene": the window (in characters) in which sexual or violent vocabulary is summed.
    content_scene_chars: int = 1500
    # A dual-use word ("thrust") is sexual only this close (in characters) to another sexual word.
    dual_use_context_chars: int = 300
    # Words naming non-consent this close to a sexual word name a sex act.
    non_consent_context_chars: int = 600
    # Violence *talked about* counts this much: a threat is not a depiction.
    violence_dialogue_factor: float = 0.5
    # The thresholds below were tuned on the tune half of ao3-dev (real AO3 works and the ratings
    # their authors chose; docs/tags.md, docs/evaluation.md), a coarse grid per threshold, keeping
    # a value only where the check half did not drop. Authors rate by the heaviest scene, and a
    # suggestive word or two, a couple of swear words or a scuffle do not move them off General.
    explicit_scene: float = 8.0  # sexual weight in the densest scene, with ≥ `explicit_terms` explicit terms there
    explicit_terms: int = 2
    mature_scene: float = 5.0  # sexual weight in the densest scene
    mature_acts: int = 3  # named sex acts anywhere ("they had sex", "made love")
    teen_scene: float = 2.0
    strong_mature: int = 10  # strong words, at ≥ `strong_mature_density` per 1,000 words
    strong_mature_density: float = 3.5
    # Strong words, at ≥ `strong_teen_density` per 1,000 words (fewer count as mild words). One
    # "fuck" makes a work Teen, as AO3's guidance has it, although 2 agrees with 2 more tune works.
    strong_teen: int = 1
    strong_teen_density: float = 0.0
    mild_teen: int = 2  # mild words, at ≥ `mild_teen_density` per 1,000 words
    mild_teen_density: float = 1.0
    violence_mature_graphic: int = 2  # graphic terms in a scene of weight ≥ `violence_mature_scene`
    violence_mature_scene: float = 7.0
    violence_teen_serious: int = 3  # moderate or graphic terms anywhere
    violence_teen_weight: float = 5.0  # or this much violence weight in all
    violence_teen_density: float = 0.0  # and, either way, this much violence weight per 1,000 words


DEFAULTS = RatingSettings()


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
def sexual_weights(scan: StoryScan, settings: RatingSettings = DEFAULTS) -> list[Weighted]:
    """Sexual hits with the weight they count for; dual-use words only near other sexual words."""
    hits = scan.hits["sexual"]
    anchors = [h.start for h in hits if h.category != "dual_use"]
    reach = settings.dual_use_context_chars
    weighted = []
    for hit in hits:
        if hit.category == "dual_use" and not any(abs(a - hit.start) <= reach for a in anchors):
            continue
        weighted.append(Weighted(hit, hit.weight))
    return weighted


def is_explicit_term(hit: Hit) -> bool:
    return hit.category in ("explicit", "dual_use")


def named_non_consent(scan: StoryScan, sexual: list[Weighted], settings: RatingSettings = DEFAULTS) -> list[Weighted]:
    """Words that name non-consent ("against her will") next to any sexual word name a sex act,
    even when the prose describes nothing: such a scene is at least Mature."""
    anchors = [w.hit.start for w in sexual]
    return [
        Weighted(h, 2.0)
        for h in scan.hits["noncon"]
        if h.category == "direct" and any(abs(a - h.start) <= settings.non_consent_context_chars for a in anchors)
    ]


@memoised_on_scan
def judge_sexual(scan: StoryScan, settings: RatingSettings = DEFAULTS) -> Finding:
    s = settings
    weighted = sexual_weights(scan, s)
    weighted = sorted(weighted + named_non_consent(scan, weighted, s), key=lambda w: w.hit.start)
    if not weighted:
        return Finding("sexual", GENERAL, 0.0)
    score, scene = densest_window(weighted, s.content_scene_chars)
    explicit_terms = sum(1 for w in scene if is_explicit_term(w.hit))
    acts = [w for w in weighted if w.hit.category in ("act", "direct")]
    in_scene = {w.hit for w in scene}
    hits = strongest(scene) + [h for h in strongest(weighted) if h not in in_scene]
    if explicit_terms >= s.explicit_terms and score >= s.explicit_scene:
        return Finding("sexual", EXPLICIT, min(0.95, 0.55 + 0.03 * (score - s.explicit_scene)), hits)
    if score >= s.mature_scene or len(acts) >= s.mature_acts:
        return Finding("sexual", MATURE, min(0.8, 0.45 + 0.03 * score), hits)
    if score >= s.teen_scene or acts or explicit_terms:
        return Finding("sexual", TEEN, min(0.7, 0.35 + 0.05 * score), hits)
    return Finding("sexual", GENERAL, 0.0, hits)


def judge_profanity(scan: StoryScan, settings: RatingSettings = DEFAULTS) -> Finding:
    s = settings
    hits = scan.hits["profanity"]
    strong = [h for h in hits if h.category == "strong"]
    mild = [h for h in hits if h.category == "mild"]
    per_thousand = 1000.0 / max(scan.words, 1)
    strong_density, mild_density = len(strong) * per_thousand, len(mild) * per_thousand
    ordered = strong + mild
    if len(strong) >= s.strong_mature and strong_density >= s.strong_mature_density:
        return Finding("profanity", MATURE, min(0.7, 0.4 + 0.03 * strong_density), ordered)
    if strong and len(strong) >= s.strong_teen and strong_density >= s.strong_teen_density:
        return Finding("profanity", TEEN, min(0.9, 0.6 + 0.05 * len(strong)), ordered)
    # Strong words too few for Teen on their own still count as mild ones.
    mild_density += strong_density
    if len(mild) + len(strong) >= s.mild_teen and mild_density >= s.mild_teen_density:
        return Finding("profanity", TEEN, 0.55 if mild_density >= 2 else 0.35, ordered)
    return Finding("profanity", GENERAL, 0.0, ordered)


def violence_weights(scan: StoryScan, settings: RatingSettings = DEFAULTS) -> list[Weighted]:
    spoken = settings.violence_dialogue_factor
    return [Weighted(h, h.weight * (spoken if scan.in_dialogue(h.start) else 1.0)) for h in scan.hits["violence"]]


@memoised_on_scan
def judge_violence(scan: StoryScan, settings: RatingSettings = DEFAULTS) -> Finding:
    """Dense graphic violence makes a work Mature; repeated attacks, wounds or killings Teen."""
    s = settings
    weighted = violence_weights(scan, s)
    if not weighted:
        return Finding("violence", GENERAL, 0.0)
    score, scene = densest_window(weighted, s.content_scene_chars)
    graphic = sum(1 for w in scene if w.hit.category == "graphic")
    in_scene = {w.hit for w in scene}
    hits = strongest(scene) + [h for h in strongest(weighted) if h not in in_scene]
    if graphic >= s.violence_mature_graphic and score >= s.violence_mature_scene:
        return Finding("violence", MATURE, min(0.9, 0.45 + 0.03 * score), hits)
    serious = [w for w in weighted if w.hit.category in ("graphic", "moderate")]
    total = sum(w.weight for w in weighted)
    dense = 1000.0 * total / max(scan.words, 1) >= s.violence_teen_density
    if dense and (len(serious) >= s.violence_teen_serious or total >= s.violence_teen_weight):
        return Finding("violence", TEEN, min(0.8, 0.4 + 0.05 * len(serious) + 0.01 * total), hits)
    return Finding("violence", GENERAL, 0.0, hits)


def judge_all(scan: StoryScan, settings: RatingSettings = DEFAULTS) -> list[Finding]:
    return [judge_sexual(scan, settings), judge_profanity(scan, settings), judge_violence(scan, settings)]


def general_confidence(scan: StoryScan, findings: list[Finding]) -> float:
    """How sure "General Audiences" is: less for very short texts and when mild things were seen."""
    confidence = 0.85 if scan.words >= 1000 else 0.7 if scan.words >= 200 else 0.5
    if any(f.hits for f in findings):
        confidence -= 0.15
    return confidence


def decide_rating(scan: StoryScan, findings: list[Finding], settings: RatingSettings = DEFAULTS) -> TagSuggestion:
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


@component("rating", requires=("profile.stats",), assigns=("profile.tags.rating",), settings=RatingSettings)
def detect_rating(analysis: Analysis, settings: RatingSettings = DEFAULTS) -> None:
    """Pipeline component: `profile.tags.rating`. Needs only the work (quotes, if run, refine it)."""
    scan = story_scan(analysis)
    analysis.profile.tags.rating = decide_rating(scan, judge_all(scan, settings), settings)
