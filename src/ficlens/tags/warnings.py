"""Suggesting AO3 archive warnings, each with the passages that call for it.

AO3 has four warnings; a work that needs none gets "No Archive Warnings Apply". They are about
what the work *depicts*, so each detector wants more than a word:

- Graphic Depictions Of Violence: the violence judgement of the rating reaching Mature (a dense,
  graphic passage in narration; violence only talked about counts half).
- Major Character Death: a death phrase bound to a character ("Han died", "killed Han",
  "Han's lifeless body", or a pronoun the coreference step resolved), for a character with a
  real presence in the work or whose death the work keeps returning to (AO3's own test: canon
  status does not matter). Deaths told in dialogue or in the past perfect are backstory more
  often than events, so they count for less; a canon-named character gets a small bonus there,
  because the name then surely is a person's.
- Rape/Non-Con and Underage Sex: refusal, coercion or a stated age under 18 *near sexual
  content*; the words alone ("forced a smile", "she was sixteen") are everyday prose.

A warning is suggested from its own tuned confidence up (`WarningSettings.suggest_from`, at
least `min_confidence`): calibrated on the warnings ao3-dev's authors chose, so that a suggestion is a
warning an author would likely have given.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..analysis import Analysis
from ..component import component
from ..ao3vocab import GRAPHIC_VIOLENCE, MAJOR_CHARACTER_DEATH, NO_WARNINGS, NON_CON, UNDERAGE
from ..evidence import MAX_EVIDENCE, opening_evidence
from ..model import Mention, TagSuggestion
from ..spans import SpanIndex
from .lexicon import Hit, StoryScan, story_scan
from .rating import MATURE, judge_violence, sexual_weights


@dataclass(frozen=True)
class WarningSettings:
    """The thresholds of the `warnings` component."""

    # No warning is considered below this confidence.
    min_confidence: float = 0.3
    # Each warning is suggested from its own confidence up, tuned on the tune half of ao3-dev
    # against the warnings authors chose (docs/tags.md). A death told only in dialogue (capped at
    # 0.5) or bound through one weak hit is backstory more often than an event: on the tune half
    # none of the 8 such suggestions was warned by its author. Rape/Non-Con stays at the floor: a
    # missed warning of it costs a reader more than a false one.
    graphic_violence_from: float = 0.3
    major_character_death_from: float = 0.5
    non_con_from: float = 0.3
    underage_from: float = 0.5
    # How near (in characters) sexual content a refusal or an age must be, and how much of it:
    # 2.0 is e.g. one named act, or an explicit term, or two suggestive words.
    sexual_context_chars: int = 600
    min_sexual_context: float = 2.0
    # A death told in dialogue, bound through a resolved pronoun, or of a character barely present
    # whose death the work does not dwell on, counts this much; a canon-named character's death
    # told in dialogue gets the bonus (the name then surely is a person's).
    backstory_factor: float = 0.55
    pronoun_factor: float = 0.8
    minor_factor: float = 0.5
    canon_bonus: float = 0.05

    def suggest_from(self, warning: str) -> float:
        """The confidence from which `warning` is suggested."""
        return {
            GRAPHIC_VIOLENCE: self.graphic_violence_from,
            MAJOR_CHARACTER_DEATH: self.major_character_death_from,
            NON_CON: self.non_con_from,
            UNDERAGE: self.underage_from,
        }[warning]


DEFAULTS = WarningSettings()


@dataclass(frozen=True)
class Signal:
    """One piece of evidence for a warning: where, how strong, and (for deaths) whose."""

    start: int
    end: int
    confidence: float
    character: str | None = None


def combine(signals: list[Signal], cap: float = 0.95) -> float:
    """The strongest signal, plus a little for each further one (repetition is corroboration,
    but ten weak hints never make a certainty)."""
    if not signals:
        return 0.0
    ranked = sorted((s.confidence for s in signals), reverse=True)
    return min(cap, ranked[0] + 0.05 * (len(ranked) - 1))


def signal_evidence(scan: StoryScan, signals: list[Signal]) -> list:
    """Evidence for the strongest signals whose excerpts do not overlap."""
    return scan.evidence_for(sorted(signals, key=lambda s: (-s.confidence, s.start)), MAX_EVIDENCE)


# --- sexual context ------------------------------------------------------------------------------


class SexualContext:
    """Answers "how much sexual content is near this offset?" (named acts and explicit terms
    count fully; suggestive words count only when several are together)."""

    def __init__(self, scan: StoryScan, reach: int = DEFAULTS.sexual_context_chars):
        self.reach = reach
        self._weighted = SpanIndex(sexual_weights(scan), lambda w: w.hit.start, lambda w: w.hit.end)

    def near(self, offset: int, loose: bool = False) -> float:
        """The sexual weight within `reach`; `loose` also counts a lone suggestive word."""
        reach = self.reach
        near = self._weighted.within(offset - reach, offset + reach + 1)
        strong = sum(w.weight for w in near if w.hit.category != "suggestive")
        suggestive = sum(w.weight for w in near if w.hit.category == "suggestive")
        return strong + (suggestive if loose or suggestive >= 3 else 0.0)


# --- Graphic Depictions Of Violence --------------------------------------------------------------


def graphic_violence(scan: StoryScan, settings: WarningSettings = DEFAULTS) -> TagSuggestion | None:
    finding = judge_violence(scan)
    if finding.level < MATURE:
        return None
    evidence = scan.evidence_for(finding.hits)
    return TagSuggestion(GRAPHIC_VIOLENCE, round(finding.confidence, 2), evidence)


# --- Major Character Death -----------------------------------------------------------------------

# Words allowed between a name and "died"/"was dead": adverbs and auxiliaries, never a negation.
_SUBJECT_GAP = re.compile(
    r"\s*(?:,\s*)?(?:(?:had|has|was|is|then|just|finally|already|soon|suddenly|eventually|instantly|"
    r"quickly|slowly|quietly|also|too|now|really|truly|tragically)\s+)*$",
    re.IGNORECASE,
)
# What, before a death phrase, makes it hypothetical, a threat or a denial.
_UNREAL_BEFORE = re.compile(
    r"\b(?:could|would|should|will|shall|might|may|must|can|gonna|wanna|going\s+to|want\s+to|wanted\s+to|"
    r"try\s+to|tried\s+to|trying\s+to|almost|nearly|not|never|if|unless|whether|wish|hope)\b[^.!?]{0,12}$"
    r"|n['’]t\s+$|['’]ll\s+$",
    re.IGNORECASE,
)
_POSSESSIVE_GAP = re.compile(r"^['’]s?\s+$")
_OBJECT_PRONOUNS = {"him", "her", "them", "me", "you"}
_POSSESSIVE_PRONOUNS = {"his", "her", "their", "my", "your"}
# "her" before one of these is the object ("killed her and fled"); before a noun it is a possessive.
_AFTER_OBJECT = {
    "and",
    "with",
    "in",
    "on",
    "at",
    "before",
    "after",
    "when",
    "while",
    "for",
    "because",
    "too",
    "again",
    "then",
    "himself",
    "herself",
    "there",
    "here",
    "first",
    "once",
    "now",
    "off",
}
_DEATH_CUE = re.compile(r"\b(?:dead|died|lifeless|corpse|killed|murdered|buried|funeral|cold and still)\b", re.I)


def _sentence_before(text: str, offset: int, reach: int = 40) -> str:
    window = text[max(0, offset - reach) : offset]
    cut = max(window.rfind(c) for c in '.!?\n“”"')
    return window[cut + 1 :] if cut >= 0 else window


def _bound_character(scan: StoryScan, mentions: SpanIndex[Mention], hit: Hit) -> tuple[Mention | None, float]:
    """The character a death phrase is about, and how much the binding is worth (0 when none)."""
    text = scan.text
    category = hit.category.replace("_past", "")
    if category == "after_name":
        mention = mentions.ending_before(hit.start)
        if mention is None or not _SUBJECT_GAP.fullmatch(text[mention.end : hit.start]):
            return None, 0.0
        if mention.kind == "pronoun" and text[mention.start : mention.end].lower() in _POSSESSIVE_PRONOUNS - {"her"}:
            return None, 0.0
        if _UNREAL_BEFORE.search(_sentence_before(text, mention.start) + " " + text[mention.end : hit.start]):
            return None, 0.0
        return mention, 1.0
    if category == "before_name":
        mention = mentions.starting_from(hit.end)
        if mention is None or text[hit.end : mention.start].strip():
            return None, 0.0
        if _UNREAL_BEFORE.search(_sentence_before(text, hit.start)):
            return None, 0.0
        if mention.kind == "pronoun":
            word = text[mention.start : mention.end].lower()
            following = re.match(r"\s*([A-Za-z]+)", text[mention.end : mention.end + 30])
            if word not in _OBJECT_PRONOUNS:
                return None, 0.0
            if word == "her" and following and following.group(1).lower() not in _AFTER_OBJECT:
                return None, 0.0  # "killed her father": the father died
        return mention, 1.0
    if category == "possessive":
        mention = mentions.ending_before(hit.start)
        if mention is None:
            return None, 0.0
        gap = text[mention.end : hit.start]
        is_pronoun = mention.kind == "pronoun"
        if is_pronoun:
            if text[mention.start : mention.end].lower() not in _POSSESSIVE_PRONOUNS or gap.strip():
                return None, 0.0
        elif not _POSSESSIVE_GAP.match(gap):
            return None, 0.0
        if hit.weight < 2:  # "Han's body" is a death only with a death cue in the same sentence
            sentence_end = re.search(r"[.!?]", text[hit.end : hit.end + 200])
            around = text[max(0, mention.start - 150) : hit.end + (sentence_end.start() if sentence_end else 150)]
            if not _DEATH_CUE.search(around.replace(text[hit.start : hit.end], "", 1)):
                return None, 0.0
        return mention, 1.0
    return None, 0.0


def _is_canon(analysis, character_id: str) -> bool:
    index = analysis.layers.kb_index
    character = analysis.profile.character(character_id)
    if index is None or character is None or not hasattr(index, "character"):
        return False
    return any(index.character(form) is not None for form in (character.name, *character.aliases))


def _is_major(analysis, character_id: str, death_mentions: int) -> bool:
    """AO3's test: a significant presence in the work, or a work that dwells on the death."""
    if death_mentions >= 2:
        return True
    character = analysis.profile.character(character_id)
    if character is None:
        return False
    total = sum(c.mention_count for c in analysis.profile.characters) or 1
    return character.mention_count >= 5 and character.mention_count / total >= 0.05


def death_signals(analysis, scan: StoryScan, settings: WarningSettings = DEFAULTS) -> list[Signal]:
    mentions = SpanIndex(analysis.profile.mentions)
    raw: list[tuple[Hit, Mention, float]] = []
    for hit in scan.hits["death"]:
        mention, binding = _bound_character(scan, mentions, hit)
        if mention is None:
            continue
        confidence = 0.8 * hit.weight / 3 * binding
        if mention.kind == "pronoun":
            confidence *= settings.pronoun_factor
        if scan.in_dialogue(hit.start):
            confidence *= settings.backstory_factor
            if _is_canon(analysis, mention.character):
                confidence += settings.canon_bonus
        raw.append((hit, mention, confidence))
    per_character: dict[str, int] = defaultdict(int)
    for _, mention, _ in raw:
        per_character[mention.character] += 1
    signals = []
    for hit, mention, confidence in raw:
        if not _is_major(analysis, mention.character, per_character[mention.character]):
            confidence *= settings.minor_factor
        start, end = min(hit.start, mention.start), max(hit.end, mention.end)
        signals.append(Signal(start, end, confidence, mention.character))
    return signals


def major_character_death(analysis, scan: StoryScan, settings: WarningSettings = DEFAULTS) -> TagSuggestion | None:
    by_character: dict[str | None, list[Signal]] = defaultdict(list)
    for signal in death_signals(analysis, scan, settings):
        by_character[signal.character].append(signal)
    best: tuple[float, list[Signal]] = (0.0, [])
    for signals in by_character.values():
        narrated = any(not scan.in_dialogue(s.start) for s in signals)
        confidence = combine(signals, cap=0.95 if narrated else 0.5)
        if confidence > best[0]:
            best = (confidence, signals)
    confidence, signals = best
    if confidence < settings.min_confidence:
        return None
    evidence = signal_evidence(scan, signals)
    return TagSuggestion(MAJOR_CHARACTER_DEATH, round(confidence, 2), evidence)


# --- Rape/Non-Con --------------------------------------------------------------------------------


def non_consent(scan: StoryScan, context: SexualContext, settings: WarningSettings = DEFAULTS) -> TagSuggestion | None:
    """Refusal and coercion near sex. The words that name it ("raped", "against her will") count a
    little on their own; the others only near sexual content, and weak ones ("froze") only near
    clear sexual content, where they corroborate rather than decide."""
    least = settings.min_sexual_context
    signals = []
    for hit in scan.hits["noncon"]:
        strict, loose = context.near(hit.start), context.near(hit.start, loose=True)
        if hit.category == "direct":
            confidence = 0.75 if strict >= least else 0.45 if loose >= 1 else 0.35
        elif hit.category == "strong":
            confidence = 0.5 if strict >= least else 0.3 if loose >= 1 else 0.0
        else:
            confidence = 0.25 if strict >= least else 0.0
        if confidence:
            signals.append(Signal(hit.start, hit.end, confidence * (0.75 if scan.in_dialogue(hit.start) else 1.0)))
    # Weak markers alone are everyday prose; they support a stronger one, never stand alone.
    if not any(s.confidence >= 0.3 for s in signals):
        return None
    confidence = combine(signals, cap=0.9)
    if confidence < settings.min_confidence:
        return None
    return TagSuggestion(NON_CON, round(confidence, 2), signal_evidence(scan, signals))


# --- Underage Sex --------------------------------------------------------------------------------


def underage(scan: StoryScan, context: SexualContext, settings: WarningSettings = DEFAULTS) -> TagSuggestion | None:
    signals = []
    for hit in scan.hits["underage"]:
        near = context.near(hit.start)
        if near < settings.min_sexual_context:
            continue
        confidence = 0.3 + 0.1 * hit.weight + (0.1 if near >= 5 else 0.0)
        if scan.in_dialogue(hit.start):
            confidence *= 0.8
        signals.append(Signal(hit.start, hit.end, confidence))
    confidence = combine(signals, cap=0.85)
    if confidence < settings.min_confidence:
        return None
    return TagSuggestion(UNDERAGE, round(confidence, 2), signal_evidence(scan, signals))


# --- the component -------------------------------------------------------------------------------


def suggest_warnings(analysis, scan: StoryScan, settings: WarningSettings = DEFAULTS) -> list[TagSuggestion]:
    context = SexualContext(scan, settings.sexual_context_chars)
    found = [
        graphic_violence(scan, settings),
        major_character_death(analysis, scan, settings),
        non_consent(scan, context, settings),
        underage(scan, context, settings),
    ]
    warnings = [w for w in found if w is not None and w.confidence >= settings.suggest_from(w.tag)]
    if warnings:
        return warnings
    confidence = 0.85 if scan.words >= 1000 else 0.7 if scan.words >= 200 else 0.5
    evidence = opening_evidence(scan.text, scan.part_bounds)[:MAX_EVIDENCE]
    return [TagSuggestion(NO_WARNINGS, confidence, evidence)]


@component(
    "warnings", requires=("profile.stats", "kb_index"), assigns=("profile.tags.warnings",), settings=WarningSettings
)
def detect_warnings(analysis: Analysis, settings: WarningSettings = DEFAULTS) -> None:
    """Pipeline component: `profile.tags.warnings`. Run after characters and coreference (for
    deaths bound to names and pronouns) and after quotes (for what is only said in dialogue)."""
    analysis.profile.tags.warnings = suggest_warnings(analysis, story_scan(analysis), settings)
