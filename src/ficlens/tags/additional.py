"""Pipeline component: AO3 "Additional Tags" (freeform tags) suggested from the story, with evidence.

AO3's most used freeform tags are about mood (Fluff, Angst), tropes (Hurt/Comfort, Enemies to
Lovers, First Kiss), content (Blood, Swearing, Smut), setting (Alternate Universe - Modern
Setting…) and form (Drabble, Dialogue-Heavy). Each has its own small detector here. None runs a
model or a new parse: they sum the hits of one lexicon (`data/lexicons/freeform.yaml`, one regex
pass over the story parts) and reuse what earlier components left — the rating/warnings scan, the
quote index, the knowledge-base match, characters, mentions and relationships — so that tagging
stays a small fraction of analysis time.

Precision comes first. A tag needs *enough* evidence: a minimum total weight (words said inside
dialogue count half: talking about a kiss is not a kiss), several distinct cue words (one word
repeated is one writer's habit, not a theme), often one cue that names the thing outright ("sobbed",
"nightmare", "coffee shop") and, for theme tags, a density per 1,000 words (three tears in a novel are
not a crying story). Thresholds and confidence formulas are listed in docs/additional-tags.md. Tags
whose truth no cheap cue settles (Canon Divergence, Slow Burn, Sad) are not attempted.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable

import yaml

from ..analysis import Analysis
from ..component import component
from ..evidence import MAX_EVIDENCE, evidence_of, overlaps
from ..model import Evidence, Mention, Relationship, TagSuggestion
from ..spans import SpanIndex
from .lexicon import Hit, LexiconError, StoryScan, load_lexicon, story_scan
from .rating import EXPLICIT, MATURE, judge_sexual, judge_violence, sexual_weights
from .warnings import combine, death_signals, signal_evidence

LEXICON = "freeform"
SETTINGS = "freeform_settings"


@dataclass(frozen=True)
class AdditionalTagSettings:
    """The thresholds of the `additional_tags` component shared by its detectors (each `Rule`
    and AU `Setting` below carries its own)."""

    # Below this a freeform tag is noise: unlike warnings, nobody must confirm it.
    min_confidence: float = 0.4
    # A cue inside a quotation counts this much: it is talked about, not shown.
    dialogue_factor: float = 0.5
    # The window (in characters) in which hurt and comfort must meet for Hurt/Comfort.
    hurt_comfort_scene_chars: int = 2500
    # The last fifth of the story is its ending (Happy Ending).
    ending_share: float = 0.2
    # Romantic relationships below this confidence are not a couple for the relationship tropes.
    min_relationship_confidence: float = 0.4
    # How close (in characters) an antagonism cue must be to one of the pair (Enemies to Lovers).
    antagonism_near_chars: int = 300
    # Angst and Fluff: weight per 1,000 words, with at least this weight from this many terms.
    # Tuned on the tune part of ao3-dev by a coarse grid (authors tag Fluff and Angst far more
    # readily than the old 10 / 15 asked; tune top-5 share 4.9 → 6.3 with Humor and the ranking).
    angst_density: float = 5.0
    fluff_density: float = 4.0
    # Humor: weight of laughter and joking cues per 1,000 words (with the same minimum weight).
    humor_density: float = 2.5
    humor_min_weight: float = 3.0
    humor_min_distinct: int = 3
    min_mood_weight: float = 6.0
    min_mood_distinct: int = 4
    # Ranking by how likely an author is to use a tag (`TAG_USE`): a suggestion's confidence is
    # its detector's confidence times `use_floor + (1 - use_floor) * use ** use_exponent`, so that a
    # true tag few authors bother with (Present Tense) ranks below a likely one (Fluff).
    use_floor: float = 0.3  # 1.0: popularity ignored
    use_exponent: float = 0.5
    # A suggestion whose scaled confidence falls below this is left out (0: none is).
    min_likely: float = 0.0


DEFAULTS = AdditionalTagSettings()


# --- the cues of one work -------------------------------------------------------------------------


@dataclass
class Cues:
    """The freeform-lexicon hits of one work, by category, and the arithmetic detectors share."""

    scan: StoryScan
    hits: dict[str, list[Hit]]
    _part_starts: list[int] = field(default_factory=list)
    _chars_before: list[int] = field(default_factory=list)
    story_chars: int = 0
    settings: AdditionalTagSettings = DEFAULTS

    @classmethod
    def of(cls, scan: StoryScan, settings: AdditionalTagSettings = DEFAULTS) -> "Cues":
        lexicon = load_lexicon(LEXICON)
        hits: dict[str, list[Hit]] = {}
        for start, end in scan.part_bounds:
            for hit in lexicon.find(scan.text, start, end):
                if hit.category == "crying" and _speech_verb(scan.text, hit):
                    continue
                hits.setdefault(hit.category, []).append(hit)
        starts, before, total = [], [], 0
        for start, end in scan.part_bounds:
            starts.append(start)
            before.append(total)
            total += end - start
        return cls(scan, hits, starts, before, total, settings)

    def get(self, *categories: str) -> list[Hit]:
        return sorted((h for c in categories for h in self.hits.get(c, ())), key=lambda h: h.start)

    def narrated(self, hits: Iterable[Hit]) -> list[Hit]:
        return [h for h in hits if not self.scan.in_dialogue(h.start)]

    def value(self, hit: Hit) -> float:
        return hit.weight * (self.settings.dialogue_factor if self.scan.in_dialogue(hit.start) else 1.0)

    def weight(self, hits: Iterable[Hit]) -> float:
        return sum(self.value(h) for h in hits)

    def per_thousand(self, weight: float) -> float:
        return 1000.0 * weight / max(self.scan.words, 1)

    def position(self, offset: int) -> float:
        """How far through the story (0 = its first character, 1 = its last) an offset lies."""
        if not self.story_chars:
            return 0.0
        i = max(0, bisect.bisect_right(self._part_starts, offset) - 1)
        return min(1.0, (self._chars_before[i] + max(0, offset - self._part_starts[i])) / self.story_chars)

    def evidence(self, hits: Iterable[Hit], limit: int = MAX_EVIDENCE) -> list[Evidence]:
        """Short excerpts for the strongest hits, narrated before spoken, then in text order."""
        ordered = sorted(hits, key=lambda h: (-self.value(h), h.start))
        return self.scan.evidence_for(ordered, limit)


_QUOTE_MARKS = "\"“”'‘’"
_SPEECH_AFTER = re.compile(r"[ \t]+(?:[A-Z][\w.’']*[ \t]*){1,3}[,.:]?[ \t]*[\"“‘]|[,:]?[ \t]*[\"“‘]")


def _speech_verb(text: str, hit: Hit) -> bool:
    """ "cried" as older prose's "said" (`"Oh!" cried Mrs. Bennet`, `she cried, "Look!"`): right
    after a closing quotation mark or right before an opening one, it reports speech, not tears."""
    if text[hit.start : hit.end].lower() not in ("cried", "cries"):
        return False
    before = text[max(0, hit.start - 4) : hit.start]
    return any(c in before for c in _QUOTE_MARKS) or bool(_SPEECH_AFTER.match(text, hit.end))


def distinct(hits: Iterable[Hit]) -> int:
    return len({h.term.text for h in hits})


def ramp(weight: float, floor: float, base: float = 0.45, step: float = 0.05, cap: float = 0.85) -> float:
    """Confidence growing with the weight above a detector's threshold, capped."""
    return round(min(cap, base + step * (weight - floor)), 2)


@dataclass
class Context:
    """What every detector may read, plus the tags found so far (later detectors build on them)."""

    analysis: Analysis
    scan: StoryScan
    cues: Cues
    found: dict[str, TagSuggestion] = field(default_factory=dict)

    @property
    def settings(self) -> AdditionalTagSettings:
        return self.cues.settings

    @property
    def profile(self):
        return self.analysis.profile

    @property
    def sexual(self):
        return judge_sexual(self.scan)  # computed once per story (memoised on the scan)

    def romantic(self) -> list[Relationship]:
        return [
            r
            for r in self.profile.relationships
            if r.type == "romantic" and r.confidence >= self.settings.min_relationship_confidence
        ]


# --- tags that follow from cue words alone --------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A tag that follows from enough hits of some lexicon categories.

    `min_weight` is the total weight (dialogue counts half); `min_distinct` the number of different
    cue terms; `min_density` weight per 1,000 story words; `anchor` the weight at least one hit must
    have (a cue that names the thing), `narrated_anchor` whether that hit must be in narration,
    `spoken` whether dialogue counts in full (a confession is something said)."""

    tag: str
    categories: tuple[str, ...]
    min_weight: float
    min_distinct: int = 1
    min_density: float = 0.0
    anchor: float = 0.0
    narrated_anchor: bool = False
    spoken: bool = False  # the thing is said (a confession): dialogue counts in full
    cap: float = 0.85

    def __call__(self, ctx: Context) -> TagSuggestion | None:
        cues = ctx.cues
        hits = cues.get(*self.categories)
        anchors = [h for h in (cues.narrated(hits) if self.narrated_anchor else hits) if h.weight >= self.anchor]
        weight = sum(h.weight for h in hits) if self.spoken else cues.weight(hits)
        if (
            weight < self.min_weight
            or distinct(hits) < self.min_distinct
            or not anchors
            or cues.per_thousand(weight) < self.min_density
        ):
            return None
        return TagSuggestion(self.tag, ramp(weight, self.min_weight, cap=self.cap), cues.evidence(hits))


RULES = (
    Rule("Kissing", ("kiss",), min_weight=2, anchor=2, narrated_anchor=True, cap=0.9),
    Rule("Confessions", ("confession",), min_weight=2, anchor=2, spoken=True),
    Rule("Crying", ("crying",), min_weight=3, min_distinct=2, min_density=1.0, anchor=2),
    Rule("Nightmares", ("nightmare",), min_weight=3, anchor=2),
    Rule("Jealousy", ("jealousy",), min_weight=3, min_density=1.0, anchor=2),
    Rule("Pining", ("pining",), min_weight=5, min_distinct=2, min_density=2.0, anchor=2),
    Rule("Grief/Mourning", ("grief",), min_weight=5, min_distinct=2, min_density=1.5, anchor=2),
    Rule("Injury", ("injury",), min_weight=5, min_distinct=2, min_density=1.5, anchor=2, narrated_anchor=True),
    Rule("Blood", ("blood",), min_weight=6, min_density=2.0, anchor=2, narrated_anchor=True),
    Rule("Panic Attacks", ("panic",), min_weight=3, anchor=2),
    Rule("Cuddling & Snuggling", ("cuddle",), min_weight=4, anchor=2, narrated_anchor=True),
    Rule("Texting", ("texting",), min_weight=6, min_distinct=2),
    Rule("Alternate Universe - Soulmates", ("soulmates",), min_weight=4, anchor=2),
    Rule("Redemption", ("redemption",), min_weight=5, min_distinct=2, anchor=2),
)


# --- content tags: reuse the rating and warnings judgements ---------------------------------------


def smut(ctx: Context) -> TagSuggestion | None:
    """An explicit scene the rating is sure of (not the "rate up when unsure" case)."""
    finding = ctx.sexual
    if finding.level < EXPLICIT or finding.confidence < 0.5:
        return None
    return TagSuggestion("Smut", round(finding.confidence, 2), ctx.scan.evidence_for(finding.hits))


def violence(ctx: Context) -> TagSuggestion | None:
    """Violence the rating calls graphic, or repeated serious violence shown in narration."""
    finding = judge_violence(ctx.scan)
    if finding.level >= MATURE:
        return TagSuggestion("Violence", round(finding.confidence, 2), ctx.scan.evidence_for(finding.hits))
    serious = [
        h
        for h in ctx.scan.hits["violence"]
        if h.category in ("graphic", "moderate") and not ctx.scan.in_dialogue(h.start)
    ]
    weight = sum(h.weight for h in serious)
    if len(serious) >= 4 and distinct(serious) >= 3 and ctx.cues.per_thousand(weight) >= 4:
        return TagSuggestion(
            "Violence",
            ramp(weight, 8, base=0.45, step=0.02, cap=0.7),
            ctx.scan.evidence_for(serious),
        )
    return None


def character_death(ctx: Context) -> TagSuggestion | None:
    """A death bound to a character and told in narration (any character: the warning asks for a
    major one, the freeform tag does not)."""
    signals = [
        s for s in death_signals(ctx.analysis, ctx.scan) if not ctx.scan.in_dialogue(s.start) and s.confidence >= 0.35
    ]
    if not signals:
        return None
    return TagSuggestion(
        "Character Death",
        round(combine(signals, cap=0.9), 2),
        signal_evidence(ctx.scan, signals),
    )


def swearing(ctx: Context) -> TagSuggestion | None:
    hits = ctx.scan.hits["profanity"]
    if len(hits) < 5 or ctx.cues.per_thousand(len(hits)) < 3:
        return None
    strong = [h for h in hits if h.category == "strong"]
    return TagSuggestion(
        "Swearing",
        ramp(len(hits), 5, base=0.5, step=0.03, cap=0.9),
        ctx.scan.evidence_for(strong + hits),
    )


def post_coital(ctx: Context) -> TagSuggestion | None:
    """Afterglow vocabulary ("tangled sheets", "made love to you tonight") in a story with sexual
    content: the scene after sex. A sex act the text names counts even when the rating stays Teen
    (a fade to black: "they had made love")."""
    hits = ctx.cues.get("afterglow")
    weight = ctx.cues.weight(hits)
    had_sex = ctx.sexual.level >= MATURE or any(h.category in ("act", "direct") for h in ctx.sexual.hits)
    if weight < 4 or distinct(hits) < 2 or not any(h.weight >= 2 for h in hits) or not had_sex:
        return None
    return TagSuggestion("Post-Coital", ramp(weight, 4, cap=0.8), ctx.cues.evidence(hits))


# --- form ------------------------------------------------------------------------------------------


def _part_evidence(ctx: Context) -> list[Evidence]:
    """A structural tag points at the story parts themselves (excerpt: their first words)."""
    return [evidence_of(ctx.scan.text, s, e) for s, e in ctx.scan.part_bounds[:MAX_EVIDENCE]]


def drabble(ctx: Context) -> TagSuggestion | None:
    words = ctx.scan.words
    if not ctx.scan.part_bounds or words > 150 or words < 50:
        return None
    return TagSuggestion("Drabble", 0.8 if 90 <= words <= 110 else 0.55, _part_evidence(ctx))


def one_shot(ctx: Context) -> TagSuggestion | None:
    """One chapter. AO3's "Chapters: 1/1" settles it; a lone text file may be one chapter of many."""
    chapters = str(ctx.analysis.work.author_tags.stats.get("chapters", "")).replace(" ", "")
    if ctx.profile.stats.chapters > 1 or ctx.scan.words <= 150 or not ctx.scan.part_bounds:
        return None
    if chapters:
        if chapters != "1/1":
            return None
        return TagSuggestion("One Shot", 0.9, _part_evidence(ctx))
    return TagSuggestion("One Shot", 0.45, _part_evidence(ctx))


def dialogue_heavy(ctx: Context) -> TagSuggestion | None:
    """Most of the story inside quotation marks (fiction usually runs at a third or so)."""
    quotes = ctx.profile.quotes
    if len(quotes) < 10 or not ctx.cues.story_chars:
        return None
    share = sum(q.end - q.start for q in quotes) / ctx.cues.story_chars
    if share < 0.6:
        return None
    evidence = [evidence_of(ctx.scan.text, q.start, q.end) for q in quotes[:MAX_EVIDENCE]]
    return TagSuggestion("Dialogue-Heavy", round(min(0.85, 0.5 + 1.5 * (share - 0.6)), 2), evidence)


# --- mood ------------------------------------------------------------------------------------------

ANGST_CATEGORIES = ("angst", "crying", "grief", "nightmare", "panic", "distress")
FLUFF_CATEGORIES = ("fluff", "cuddle")
EMOTIONAL_HURT = ("angst", "crying", "grief", "nightmare", "panic", "distress")
PHYSICAL_HURT = ("injury", "blood")
COMFORT = ("comfort", "cuddle")


@dataclass
class Mood:
    weight: float
    density: float
    hits: list[Hit]
    varied: bool
    min_weight: float

    def reaches(self, density: float) -> bool:
        return self.weight >= self.min_weight and self.varied and self.density >= density


def mood(ctx: Context, categories: tuple[str, ...]) -> Mood:
    hits = ctx.cues.get(*categories)
    weight = ctx.cues.weight(hits)
    s = ctx.settings
    return Mood(weight, ctx.cues.per_thousand(weight), hits, distinct(hits) >= s.min_mood_distinct, s.min_mood_weight)


def mood_tags(ctx: Context) -> list[TagSuggestion]:
    """Angst and Fluff from the density of their vocabularies. Either alone needs to dominate the
    other; both dense makes "Fluff and Angst"."""
    angst, fluff = mood(ctx, ANGST_CATEGORIES), mood(ctx, FLUFF_CATEGORIES)
    angst_density, fluff_density = ctx.settings.angst_density, ctx.settings.fluff_density
    tags = []
    if angst.reaches(angst_density) and angst.density >= 0.5 * fluff.density:
        tags.append(
            TagSuggestion("Angst", ramp(angst.density, angst_density, step=0.02), ctx.cues.evidence(angst.hits))
        )
    if fluff.reaches(fluff_density) and fluff.density >= 2 * angst.density:
        tags.append(
            TagSuggestion("Fluff", ramp(fluff.density, fluff_density, step=0.02), ctx.cues.evidence(fluff.hits))
        )
    if angst.reaches(0.8 * angst_density) and fluff.reaches(0.8 * fluff_density):
        confidence = min(
            ramp(angst.density, 0.8 * angst_density, step=0.02), ramp(fluff.density, 0.8 * fluff_density, step=0.02)
        )
        evidence = ctx.cues.evidence(angst.hits, 3) + ctx.cues.evidence(fluff.hits, 2)
        tags.append(TagSuggestion("Fluff and Angst", confidence, evidence))
    return tags


def humor(ctx: Context) -> TagSuggestion | None:
    """Humor from the density of laughter and joking ("snorted", "burst out laughing", "rolled his
    eyes", "sarcastic"), unless the story's angst outweighs it: a joke in a grim story is relief,
    not the mood of the work."""
    s = ctx.settings
    fun, angst = mood(ctx, ("humor",)), mood(ctx, ANGST_CATEGORIES)
    density = s.humor_density
    if fun.weight < s.humor_min_weight or distinct(fun.hits) < s.humor_min_distinct:
        return None
    if fun.density < density or fun.density < angst.density:
        return None
    return TagSuggestion("Humor", ramp(fun.density, density, step=0.02), ctx.cues.evidence(fun.hits))


def domestic_fluff(ctx: Context) -> TagSuggestion | None:
    fluff = ctx.found.get("Fluff")
    hits = ctx.cues.get("domestic")
    weight = ctx.cues.weight(hits)
    if fluff is None or weight < 4 or distinct(hits) < 3:
        return None
    return TagSuggestion("Domestic Fluff", min(fluff.confidence, ramp(weight, 4)), ctx.cues.evidence(hits))


def hurt_comfort(ctx: Context) -> list[TagSuggestion]:
    """Hurt and comfort in the same scene: the densest window of `hurt_comfort_scene_chars` in which both reach
    weight 3 and some comfort comes after some hurt. Emotional when the hurt there is mostly
    emotional (tears, grief, guilt, nightmares) rather than wounds."""
    cues = ctx.cues
    hurt = set(cues.get(*EMOTIONAL_HURT, *PHYSICAL_HURT))
    events = cues.get(*EMOTIONAL_HURT, *PHYSICAL_HURT, *COMFORT)
    best: tuple[float, list[Hit]] = (0.0, [])
    left = 0
    for right, hit in enumerate(events):
        while hit.start - events[left].start > ctx.settings.hurt_comfort_scene_chars:
            left += 1
        window = events[left : right + 1]
        pain = [h for h in window if h in hurt]
        care = [h for h in window if h not in hurt]
        score = min(cues.weight(pain), cues.weight(care))
        if score >= 3 and pain and any(c.start > pain[0].start for c in care) and score > best[0]:
            best = (score, window)
    score, window = best
    if not window:
        return []
    pain = [h for h in window if h in hurt]
    care = [h for h in window if h not in hurt]
    evidence = cues.evidence(pain, 3) + cues.evidence(care, 2)
    confidence = ramp(score, 3, base=0.45, step=0.04)
    tags = [TagSuggestion("Hurt/Comfort", confidence, evidence)]
    emotional = cues.weight(h for h in pain if h.category in EMOTIONAL_HURT)
    physical = cues.weight(h for h in pain if h.category in PHYSICAL_HURT)
    if emotional >= 3 and emotional >= 2 * physical:
        tags.append(TagSuggestion("Emotional Hurt/Comfort", round(confidence - 0.05, 2), evidence))
    return tags


def happy_ending(ctx: Context) -> list[TagSuggestion]:
    """A story with conflict whose last fifth is mostly warmth: at least three positive cues there
    and twice the weight of the negative ones."""
    conflict = [
        ctx.found[t]
        for t in ("Angst", "Fluff and Angst", "Hurt/Comfort", "Violence", "Character Death")
        if t in ctx.found
    ]
    if not conflict:
        return []
    cues = ctx.cues
    ending = lambda hits: [h for h in hits if cues.position(h.start) >= 1 - ctx.settings.ending_share]  # noqa: E731
    positive = ending(cues.get("fluff", "cuddle", "comfort"))
    negative = ending(cues.get(*ANGST_CATEGORIES, *PHYSICAL_HURT))
    good, bad = cues.weight(positive), cues.weight(negative)
    if good < 3 or distinct(positive) < 3 or good < 2 * bad:
        return []
    confidence = ramp(good - bad, 3, base=0.45, step=0.03, cap=0.7)
    tags = [TagSuggestion("Happy Ending", confidence, cues.evidence(positive))]
    if "Angst" in ctx.found:
        both = round(min(confidence, ctx.found["Angst"].confidence), 2)
        tags.append(
            TagSuggestion("Angst with a Happy Ending", both, ctx.found["Angst"].evidence[:2] + tags[0].evidence[:3])
        )
    return tags


# --- relationships ---------------------------------------------------------------------------------


def _first_romance_offset(ctx: Context, relationship: Relationship | None) -> int | None:
    """Where the romance first shows: a narrated kiss, a confession, else the relationship's evidence."""
    offsets = [h.start for h in ctx.cues.narrated(ctx.cues.get("kiss"))]
    offsets += [h.start for h in ctx.cues.get("confession") if h.weight >= 2]
    if not offsets and relationship is not None:
        offsets = [e.start for e in relationship.evidence]
    return min(offsets) if offsets else None


def first_kiss(ctx: Context) -> TagSuggestion | None:
    """Said outright ("their first kiss"), or the story's only kiss (≤ 3 kiss cues), in its second
    half, with no sex, afterglow or cuddling before it and no settled-couple or domestic cues at all."""
    cues = ctx.cues
    named = cues.get("first_kiss")
    if named:
        return TagSuggestion(
            "First Kiss",
            ramp(cues.weight(named), 2, base=0.7, step=0.05, cap=0.9),
            cues.evidence(named + cues.narrated(cues.get("kiss"))),
        )
    kisses = cues.narrated(cues.get("kiss"))
    if not kisses:
        return None
    first = kisses[0]
    earlier_intimacy = [w for w in sexual_weights(ctx.scan) if w.hit.start < first.start]
    earlier_intimacy += [h for h in cues.get("afterglow", "cuddle") if h.start < first.start]
    # A couple cue anywhere, or a shared domestic life, says this pair has kissed before.
    settled = cues.get("established") or cues.weight(cues.get("domestic")) >= 3
    if cues.position(first.start) < 0.5 or earlier_intimacy or settled or len({h.start for h in kisses}) > 3:
        return None
    confidence = 0.4
    if any(e.start < first.start for r in ctx.romantic() for e in r.evidence):
        confidence = 0.5  # the pair was a pair before the kiss
    return TagSuggestion("First Kiss", confidence, cues.evidence(kisses[:2]))


class _Mentions:
    """Sorted mention offsets per character, to ask "is one of these characters near here?"."""

    def __init__(self, profile, reach: int):
        self.reach = reach
        by: dict[str, list[Mention]] = {}
        for m in profile.mentions:
            by.setdefault(m.character, []).append(m)
        self._by = {character: SpanIndex(mentions) for character, mentions in by.items()}

    def near(self, characters: Iterable[str], offset: int) -> bool:
        reach = self.reach
        return any(
            character in self._by and self._by[character].within(offset - reach, offset + reach + 1)
            for character in characters
        )


def enemies_to_lovers(ctx: Context) -> TagSuggestion | None:
    """A romantic pair whose antagonism comes first: an antagonism relationship between the same
    two, or hostile cues ("enemy", "I hate you", "sneered") near one of them before the romance shows."""
    mentions = _Mentions(ctx.profile, ctx.settings.antagonism_near_chars)
    best: TagSuggestion | None = None
    for romance in ctx.romantic():
        pair = set(romance.characters)
        start = _first_romance_offset(ctx, romance)
        if start is None:
            continue
        hostile = [h for h in ctx.cues.get("antagonism") if h.start < start and mentions.near(pair, h.start)]
        weight = sum(h.weight for h in hostile)
        rivals = [r for r in ctx.profile.relationships if r.type == "antagonism" and set(r.characters) == pair]
        if rivals:
            confidence = min(0.85, 0.5 + 0.05 * weight) * min(1.0, romance.confidence + 0.2)
            evidence = [ctx.scan.evidence(e.start, e.end) for e in rivals[0].evidence[:2]]
        elif weight >= 4 and distinct(hostile) >= 2 and any(h.weight >= 2 for h in hostile):
            confidence = min(0.75, 0.4 + 0.04 * (weight - 4)) * min(1.0, romance.confidence + 0.2)
            evidence = []
        else:
            continue
        evidence = (evidence + ctx.cues.evidence(hostile, 3))[: MAX_EVIDENCE - 1]
        evidence.append(ctx.scan.evidence(start, start + 1))
        if confidence >= ctx.settings.min_confidence and (best is None or confidence > best.confidence):
            best = TagSuggestion("Enemies to Lovers", round(confidence, 2), evidence)
    return best


def established_relationship(ctx: Context) -> TagSuggestion | None:
    """A couple from the first page: a romantic pair evidenced in the first quarter, or settled-
    couple cues ("our bed", "anniversary", "as always") with intimacy — and no first kiss,
    confession or enemies-to-lovers arc."""
    if any(t in ctx.found for t in ("First Kiss", "Confessions", "Enemies to Lovers")):
        return None
    cues = ctx.cues
    settled = cues.get("established")
    early = [h for h in settled if cues.position(h.start) <= 0.25]
    intimacy = cues.narrated(cues.get("kiss", "afterglow")) or ctx.sexual.level >= MATURE
    if not intimacy:
        return None  # a married couple in the cast is not the trope: the pair must be shown together
    for romance in ctx.romantic():
        starts = [e.start for e in romance.evidence]
        if starts and cues.position(min(starts)) <= 0.25:
            confidence = min(
                0.8, 0.45 + 0.1 * bool(early) + 0.2 * (romance.confidence - ctx.settings.min_relationship_confidence)
            )
            evidence = [ctx.scan.evidence(e.start, e.end) for e in romance.evidence[:2]] + cues.evidence(settled, 3)
            return TagSuggestion("Established Relationship", round(confidence, 2), evidence)
    weight = cues.weight(settled)
    if weight >= 4 and distinct(settled) >= 2 and any(h.weight >= 2 for h in settled) and early:
        return TagSuggestion("Established Relationship", ramp(weight, 4, base=0.45, cap=0.7), cues.evidence(settled))
    return None


def romance(ctx: Context) -> TagSuggestion | None:
    """Romance when at least two signs agree — kissing, a confession, a first kiss, sex or its
    afterglow, a romantic relationship, a settled couple — and one of them is something the story
    shows happening (not only a pair the relationships step found)."""
    shown = [ctx.found[t].evidence for t in ("Kissing", "Confessions", "First Kiss", "Post-Coital") if t in ctx.found]
    if ctx.sexual.level >= MATURE and "Post-Coital" not in ctx.found:
        shown.append(ctx.scan.evidence_for(ctx.sexual.hits, 1))
    signs = list(shown)
    if "Established Relationship" in ctx.found:
        signs.append(ctx.found["Established Relationship"].evidence)
    romantic = ctx.romantic()
    if romantic:
        signs.append([ctx.scan.evidence(e.start, e.end) for e in romantic[0].evidence[:2]])
    # A relationship or a married couple alone is a cast, not a romance: something must happen.
    if len(signs) < 2 or not shown:
        return None
    evidence: list[Evidence] = []
    for items in signs:
        evidence += [e for e in items[:2] if not any(overlaps(e, o) for o in evidence)]
    return TagSuggestion("Romance", round(min(0.85, 0.45 + 0.1 * (len(signs) - 2)), 2), evidence[:MAX_EVIDENCE])


def _relationship_tag(ctx: Context, tag: str, kind: str, category: str, density: float) -> TagSuggestion | None:
    """Friendship / Family: a relationship of that kind the relationships step is sure of, backed by
    the vocabulary; or, without one, that vocabulary dense and naming the thing ("best friend", "family")."""
    cues = ctx.cues
    hits = cues.get(category)
    weight = cues.weight(hits)
    anchored = any(h.weight >= 2 for h in hits)
    related = [r for r in ctx.profile.relationships if r.type == kind and r.confidence >= 0.5]
    if related and weight >= 3 and anchored:
        best = max(related, key=lambda r: r.strength or r.confidence)
        evidence = [ctx.scan.evidence(e.start, e.end) for e in best.evidence[:2]] + cues.evidence(hits, 3)
        return TagSuggestion(tag, round(min(0.7, 0.3 + 0.3 * best.confidence + 0.01 * weight), 2), evidence)
    if weight >= 8 and anchored and cues.per_thousand(weight) >= density:
        return TagSuggestion(tag, ramp(weight, 8, base=0.4, step=0.02, cap=0.6), cues.evidence(hits))
    return None


def friendship(ctx: Context) -> TagSuggestion | None:
    return _relationship_tag(ctx, "Friendship", "friendship", "friendship", 4.0)


def family(ctx: Context) -> TagSuggestion | None:
    return _relationship_tag(ctx, "Family", "family", "kin", 10.0)


# --- Alternate Universe ----------------------------------------------------------------------------


@lru_cache(maxsize=None)
def load_settings() -> dict[str, frozenset[str]]:
    """Fandom id → the canon settings it already has (`data/lexicons/freeform_settings.yaml`)."""
    resource = resources.files("ficlens") / "data" / "lexicons" / f"{SETTINGS}.yaml"
    try:
        data = yaml.safe_load(resource.read_text(encoding="utf-8")) or {}
    except (FileNotFoundError, yaml.YAMLError) as exc:
        raise LexiconError(f"cannot read {SETTINGS}.yaml: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise LexiconError(f"{SETTINGS}.yaml must map setting names to lists of fandom ids")
    return {setting: frozenset(ids or ()) for setting, ids in data.items()}


@dataclass(frozen=True)
class Setting:
    """An AU setting: its tag, the cue categories that show it, the canon setting that makes it
    *not* an AU, and how much evidence it needs."""

    tag: str
    categories: tuple[str, ...]
    canon: str | None  # a fandom whose canon has this setting is not an AU of it
    needs_known_canon: bool  # the fandom's canon setting must be listed at all
    min_weight: float
    min_distinct: int
    min_anchors: int  # hits of weight 2 (cues that name the setting)


AU_SETTINGS = (
    Setting("Alternate Universe - Coffee Shops & Cafés", ("coffee_shop",), None, False, 6, 3, 2),
    Setting("Alternate Universe - High School", ("high_school",), "high_school", True, 6, 3, 2),
    Setting("Alternate Universe - College/University", ("college",), "college", True, 6, 3, 2),
    Setting(
        "Alternate Universe - Modern Setting",
        ("modern", "texting", "coffee_shop", "high_school", "college"),
        "modern",
        True,
        8,
        4,
        2,
    ),
)


def alternate_universe(ctx: Context) -> list[TagSuggestion]:
    """An everyday-world setting the detected fandom's canon lacks. No fandom, no AU: original fiction
    in a coffee shop is just a story in a coffee shop."""
    index = ctx.analysis.layers.kb_index
    fandoms = [e.fandom.id for e in getattr(index, "fandoms", None) or []]
    if not fandoms:
        return []
    settings = load_settings()
    known = settings.get("premodern", frozenset()) | settings.get("modern", frozenset())
    cues = ctx.cues
    tags = []
    for setting in AU_SETTINGS:
        if setting.needs_known_canon and not all(f in known for f in fandoms):
            continue
        if setting.canon and any(f in settings.get(setting.canon, ()) for f in fandoms):
            continue
        hits = cues.get(*setting.categories)
        weight = cues.weight(hits)
        anchors = sum(1 for h in hits if h.weight >= 2)
        if weight < setting.min_weight or distinct(hits) < setting.min_distinct or anchors < setting.min_anchors:
            continue
        tags.append(TagSuggestion(setting.tag, ramp(weight, setting.min_weight, step=0.03), cues.evidence(hits)))
    if tags:
        best = max(tags, key=lambda t: t.confidence)
        tags.insert(0, TagSuggestion("Alternate Universe", best.confidence, best.evidence))
    return tags


# --- how likely an author is to use a tag ----------------------------------------------------------

# How many AO3 works use each tag, relative to Fluff (AO3's most used freeform tag): approximate
# orders of magnitude of AO3's public tag counts (the works count its tag search shows, 2023),
# written down from general knowledge of the archive — not counted from any evaluation data. What
# matters is the order and rough ratios: mood tags (Fluff, Angst, Hurt/Comfort, Humor, Romance)
# are used by hundreds of thousands of works, form tags (Present Tense, Dialogue-Heavy) by a few
# thousand, although both kinds are equally true of the works they fit.
_WORKS_THOUSANDS: dict[str, float] = {
    "Fluff": 1400,
    "Angst": 1200,
    "Hurt/Comfort": 550,
    "Smut": 450,
    "Romance": 400,
    "Humor": 350,
    "Alternate Universe": 250,
    "Alternate Universe - Modern Setting": 200,
    "Fluff and Angst": 200,
    "Established Relationship": 200,
    "Angst with a Happy Ending": 200,
    "Reader-Insert": 200,
    "Happy Ending": 170,
    "Friendship": 150,
    "Emotional Hurt/Comfort": 150,
    "One Shot": 150,
    "Pining": 130,
    "Family": 120,
    "Violence": 120,
    "Domestic Fluff": 110,
    "First Kiss": 110,
    "Kissing": 110,
    "Character Death": 100,
    "Enemies to Lovers": 100,
    "Cuddling & Snuggling": 90,
    "Alternate Universe - Soulmates": 80,
    "Alternate Universe - High School": 70,
    "Alternate Universe - College/University": 60,
    "Crying": 60,
    "Nightmares": 60,
    "Blood": 60,
    "Swearing": 60,
    "Drabble": 60,
    "Jealousy": 50,
    "Confessions": 50,
    "Panic Attacks": 50,
    "Second Person": 40,
    "Grief/Mourning": 40,
    "Injury": 40,
    "Alternate Universe - Coffee Shops & Cafés": 40,
    "Texting": 30,
    "First Person": 25,
    "Redemption": 20,
    "Post-Coital": 15,
    "Dialogue-Heavy": 15,
    "Present Tense": 10,
}
TAG_USE: dict[str, float] = {tag: count / _WORKS_THOUSANDS["Fluff"] for tag, count in _WORKS_THOUSANDS.items()}
UNLISTED_USE = 10 / _WORKS_THOUSANDS["Fluff"]  # a tag not listed is taken to be a rare one


def author_use(tag: str, settings: AdditionalTagSettings = DEFAULTS) -> float:
    """The factor (≤ 1) a suggestion's confidence is scaled by for how often authors use its tag."""
    use = TAG_USE.get(tag, UNLISTED_USE)
    return settings.use_floor + (1.0 - settings.use_floor) * use**settings.use_exponent


def rank_by_use(suggestions: list[TagSuggestion], settings: AdditionalTagSettings = DEFAULTS) -> list[TagSuggestion]:
    """The suggestions with their confidence scaled by `author_use`, most likely first (a stable
    sort: ties keep their order), leaving out those below `min_likely`."""
    ranked = [
        TagSuggestion(s.tag, round(s.confidence * author_use(s.tag, settings), 2), s.evidence) for s in suggestions
    ]
    ranked = [s for s in ranked if s.confidence >= settings.min_likely]
    return sorted(ranked, key=lambda s: -s.confidence)


# --- the component -------------------------------------------------------------------------------

Detector = Callable[[Context], "TagSuggestion | list[TagSuggestion] | None"]

# Order matters: later detectors read `ctx.found` (Romance reads Kissing, Happy Ending reads Angst…).
DETECTORS: tuple[Detector, ...] = (
    *RULES,
    smut,
    violence,
    character_death,
    swearing,
    post_coital,
    drabble,
    one_shot,
    dialogue_heavy,
    mood_tags,
    humor,
    domestic_fluff,
    hurt_comfort,
    happy_ending,
    first_kiss,
    enemies_to_lovers,
    established_relationship,
    romance,
    friendship,
    family,
    alternate_universe,
)


def suggest_tags(analysis, settings: AdditionalTagSettings = DEFAULTS) -> list[TagSuggestion]:
    """Every freeform tag the detectors find, confident enough, in detector order."""
    scan = story_scan(analysis)
    ctx = Context(analysis, scan, Cues.of(scan, settings))
    for detector in DETECTORS:
        result = detector(ctx)
        for suggestion in result if isinstance(result, list) else [result] if result else []:
            if suggestion.confidence >= settings.min_confidence and suggestion.evidence:
                ctx.found.setdefault(suggestion.tag, suggestion)
    return list(ctx.found.values())


@component(
    "additional_tags",
    requires=(
        "profile.stats",
        "kb_index",
        "profile.characters",
        "profile.mentions",
        "profile.relationships",
    ),
    assigns=("profile.tags.additional",),
    settings=AdditionalTagSettings,
)
def suggest_additional_tags(analysis: Analysis, settings: AdditionalTagSettings = DEFAULTS) -> None:
    """Pipeline component: add freeform tags to `profile.tags.additional` and rank them all, most
    likely used by an author first (`rank_by_use`). Runs last: it reads the rating/warnings scan,
    quotes, the knowledge-base match, mentions and relationships."""
    tags = analysis.profile.tags
    present = {t.tag for t in tags.additional}
    found = tags.additional + [t for t in suggest_tags(analysis, settings) if t.tag not in present]
    # The narration tags (Present Tense…) are ranked with the rest: all are suggestions to an author.
    tags.additional = rank_by_use(found, settings)
