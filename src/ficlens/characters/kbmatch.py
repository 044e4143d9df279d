"""Which fandoms a work draws on, and what the knowledge base says about its names.

A name like "Ben" or "Han" belongs to characters of several fandoms, so the knowledge base is
consulted only for the fandoms the work itself evidences: distinct, unambiguous character names,
places and terms found in the story. The same scores are the fandom suggestions of the tags step.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..kb import Fandom, KBCharacter, KnowledgeBase, normalize_alias
from .names import given_name_count
from .settings import CharacterSettings

# The thresholds (min_coverage, dominant_*, signature_*, setting_*…) are `CharacterSettings` fields.


@dataclass
class FandomEvidence:
    fandom: Fandom
    score: float
    hits: Counter = field(default_factory=Counter)  # matched name/place/term → occurrences
    characters: int = 0  # distinct KB characters named in the story
    distinctive: int = 0  # of those, named by a full name or a name that is not a common given name
    places: int = 0  # distinct places/organisations and multi-word terms found
    coverage: float = 0.0  # share of the story's person-name occurrences that are this canon's characters
    named: int = 0  # occurrences of this canon's character names
    signature: int = 0  # occurrences of its distinctive names that no other fandom claims

    def convincing(self, settings: CharacterSettings) -> bool:
        """Two distinctively named characters of the canon, or one with two of its places or
        multi-word terms, or one with two more of its characters known by common first names
        ("Castiel" with "Dean" and "Sam"): common first names ("John", "Jane") and common words
        alone are not a fandom. And the canon's characters must be a real share of the names the
        story uses (`min_coverage`)."""
        if self.coverage < settings.min_coverage:
            return False
        if self.distinctive >= 1 and self.characters >= 3:
            return True
        if (
            self.characters >= 2
            and self.distinctive >= 1
            and self.coverage >= settings.dominant_coverage
            and self.named >= settings.dominant_occurrences
        ):
            return True
        if self.signature >= settings.signature_occurrences and self.coverage >= settings.signature_coverage:
            return True
        return self.score >= settings.min_fandom_score and (
            self.distinctive >= 2 or (self.distinctive == 1 and self.places >= 2)
        )


_WORD = re.compile(r"[\w'’-]+")
MAX_TERM_WORDS = 4


def word_grams(text: str) -> Counter:
    """Counts of every lower-cased 1- to 4-word sequence: one pass over the story answers
    "how often does each KB term occur" for all fandoms at once."""
    words = [re.sub(r"'s$", "", w.lower().replace("’", "'")) for w in _WORD.findall(text)]  # "the Impala's door"
    grams: Counter = Counter(words)
    for n in range(2, MAX_TERM_WORDS + 1):
        grams.update(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return grams


def _term_key(term: str) -> str | None:
    from spacy.lang.en.stop_words import STOP_WORDS

    words = [w.lower().replace("’", "'") for w in _WORD.findall(re.sub(r"^the\s+", "", term, flags=re.I))]
    if not words or len(words) > MAX_TERM_WORDS:
        return None
    key = " ".join(words)
    if len(key) <= 2 or key in STOP_WORDS:
        return None
    return key


def score_fandoms(
    kb: KnowledgeBase, forms: Counter, story_text: str, settings: CharacterSettings = CharacterSettings()
) -> list[FandomEvidence]:
    """Fandoms ranked by evidence: distinct strong character names (x1, x1.5 for multi-word ones),
    distinct places/organizations (x0.75) and distinct terms (x0.5) found in the story."""
    results = []
    grams = word_grams(story_text)
    for fandom in kb.fandoms:
        hits: Counter = Counter()
        score = 0.0
        seen_characters: set[str] = set()
        distinctive: set[str] = set()
        signature = 0
        for form, count in forms.items():
            claimed = kb.lookup(form, strong_only=True)
            for character in claimed:
                if character.fandom == fandom.tag and character.tag not in seen_characters:
                    seen_characters.add(character.tag)
                    hits[form] += count
                    if " " in form or given_name_count(form) < settings.common_name_births:
                        distinctive.add(character.tag)
                        score += 1.5 if " " in form else 1.0
                        if all(c.fandom == fandom.tag for c in claimed):
                            signature += count
                    else:
                        score += 0.25
        places = 0
        for weight, names in ((0.75, [*fandom.places, *fandom.organizations]), (0.5, fandom.terms)):
            found: Counter[str] = Counter()
            for name in names:
                key = _term_key(name)
                if key and grams.get(key):
                    found[key] = grams[key]
            score += weight * len(found)
            hits.update(found)
            # Places, and terms of more than one word ("sonic screwdriver"), are the canon's own;
            # a one-word term ("pie", "angel") is only a hint.
            places += len(found) if weight == 0.75 else sum(1 for key in found if " " in key)
        if score > 0:
            named = sum(count for form, count in forms.items() if form in hits)
            coverage = named / max(1, sum(forms.values()))
            results.append(
                FandomEvidence(
                    fandom, score, hits, len(seen_characters), len(distinctive), places, coverage, named, signature
                )
            )
    results.sort(key=lambda e: -e.score)
    return results


def _setting(evidence: FandomEvidence, ranked: list[FandomEvidence], settings: CharacterSettings) -> bool:
    """Whether a fandom's places and terms alone decide it: see `CharacterSettings.setting_places`."""
    others = [e.score for e in ranked if e is not evidence]
    return (
        evidence.places >= settings.setting_places
        and evidence.score >= settings.setting_score
        and evidence.score >= settings.setting_margin * max(others, default=0.0)
    )


@dataclass
class KBIndex:
    """The knowledge base narrowed to a work: its active fandoms plus a user's cast."""

    characters: dict[str, KBCharacter]  # normalised alias → character
    places: set[str]
    fandoms: list[FandomEvidence]

    def kind(self, form: str) -> str | None:
        key = normalize_alias(form)
        if key in self.characters:
            return "character"
        if key in self.places:
            return "place"
        return None

    def character(self, form: str) -> KBCharacter | None:
        return self.characters.get(normalize_alias(form))


def build_index(
    kb: KnowledgeBase,
    cast: list[KBCharacter],
    forms: Counter,
    story_text: str,
    settings: CharacterSettings = CharacterSettings(),
) -> KBIndex:
    ranked = score_fandoms(kb, forms, story_text, settings)
    convincing = [e for e in ranked if e.convincing(settings) or _setting(e, ranked, settings)]
    best = convincing[0].score if convincing else 0.0
    active = [e for e in convincing if e.score >= settings.crossover_share * best]
    characters: dict[str, KBCharacter] = {}
    places: set[str] = set()
    for evidence in active:
        fandom = evidence.fandom
        for character in fandom.characters:
            for alias in (character.tag, *character.aliases):
                characters.setdefault(normalize_alias(alias), character)
        for name in (*fandom.places, *fandom.organizations):
            key = normalize_alias(name)
            places.add(key)
            if key.startswith("the "):
                places.add(key[4:])
    for evidence in active:
        for character in evidence.fandom.characters:
            for alias in character.weak_aliases:
                # A weak alias counts only when nothing stronger in any active fandom claims it.
                characters.setdefault(normalize_alias(alias), character)
    for character in cast:  # the user's cast overrides everything
        for alias in (character.name, *character.aliases, *character.weak_aliases):
            characters[normalize_alias(alias)] = character
            places.discard(normalize_alias(alias))
    for form, character in _misspelt_cast_aliases(cast, forms, characters).items():
        characters[form] = character
    for form, character in _garbled_cast_aliases(cast, forms, characters).items():
        characters[form] = character
    return KBIndex(characters=characters, places=places, fandoms=active)


def _misspelt_cast_aliases(cast: list[KBCharacter], forms: Counter, claimed: dict) -> dict[str, KBCharacter]:
    """Forms of the text that a cast alias misspells by one letter in a family name ("May
    Wellend" for the text's "May Welland"): casts are typed by hand, and a missed full name
    splits a character.

    The given name must agree: given names one letter apart are often two people (Francis and
    Frances, Robert and Roberta), family names one letter apart rarely are. A form another alias
    already claims, or one two cast characters misspell alike, stays its own."""
    by_given: dict[tuple[int, str], list[list[str]]] = {}  # (word count, given name) → text forms
    written = {normalize_alias(form) for form in forms}
    for key in written:
        words = key.split()
        if len(words) >= 2:
            by_given.setdefault((len(words), words[0]), []).append(words)
    owners: dict[str, dict[int, KBCharacter]] = {}
    for character in cast:
        for alias in (character.name, *character.aliases):
            words = normalize_alias(alias).split()
            if len(words) < 2 or " ".join(words) in written:
                continue
            for candidate in by_given.get((len(words), words[0]), []):
                key = " ".join(candidate)
                differing = [(a, b) for a, b in zip(words[1:], candidate[1:]) if a != b]
                if key not in claimed and len(differing) == 1 and _one_letter_apart(*differing[0]):
                    owners.setdefault(key, {})[id(character)] = character
    return {key: next(iter(found.values())) for key, found in owners.items() if len(found) == 1}


_LOST_LETTER = re.compile(r"[?\ufffd]")


def _garbled_cast_aliases(cast: list[KBCharacter], forms: Counter, claimed: dict) -> dict[str, KBCharacter]:
    """Forms of the text whose letters an encoding lost ("Th?r?se de Vitr?" for the cast's
    "Thérèse De Vitré"): each "?" stands for one letter, and a lost last letter may have gone
    with the punctuation stripped from the form. Only a form one cast character alone fits."""
    keys = [(normalize_alias(alias), character) for character in cast for alias in (character.name, *character.aliases)]
    found: dict[str, KBCharacter] = {}
    for form in forms:
        key = normalize_alias(form)
        if key in claimed or not _LOST_LETTER.search(key):
            continue
        pattern = re.compile(_LOST_LETTER.sub(lambda _: r"\S", re.escape(key).replace("\\?", "?")) + r"\S?")
        owners = {id(c): c for alias, c in keys if pattern.fullmatch(alias)}
        if len(owners) == 1:
            found[key] = next(iter(owners.values()))
    return found


def _one_letter_apart(a: str, b: str) -> bool:
    """One substituted, inserted or dropped letter, in words of five letters or more."""
    if min(len(a), len(b)) < 5 or a[0] != b[0] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
