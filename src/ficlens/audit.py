"""Pipeline component: the author's own tags held against what the text shows.

An AO3 download carries the author's claims (rating, warnings, fandoms, characters,
relationships…); ficlens has just read the story. Where the two disagree, a reader or an archive
volunteer wants to know, with the passage that decides it:
- "missing": the text shows something the tags do not say (rated Teen, an explicit scene found;
  no warning, a major character dies; a pairing the story is about but the tags do not name);
- "unsupported": a tag the text gives no ground for (a tagged character never named; a tagged
  pairing whose two characters never share a scene; "Second Person" on third-person prose).
A "missing" finding needs a confident inference (≥ 0.5); an "unsupported" one says only that no
support was found, which is weaker, and its message says so. An author who chose not to use
archive warnings is never told that one is missing. Works without author tags get no audit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .analysis import Analysis
from .ao3vocab import GEN, NO_WARNINGS, OPT_OUTS, READER_TAG_NAMES, WARNINGS
from .characters.names import first_name_gender, split_name, title_gender
from .component import component
from .kb import KnowledgeBase, normalize_alias
from .model import AuditFinding, AuthorTags, Profile, TagSuggestion
from .tagspell import (
    FandomIdentity,
    canonical_warning,
    character_names,
    is_original_character,
    parse_relationship_tag,
    rating_level,
)

# The opt-out in its current and its pre-2021 spelling: both mean the author claims nothing.
OPTED_OUT = {normalize_alias(tag) for tag in OPT_OUTS}


@dataclass(frozen=True)
class AuditSettings:
    # An inference must be at least this sure to say the author missed a tag (a character tag:
    # `major_character_confidence`).
    missing_min_confidence: float = 0.5
    major_character_confidence: float = 0.6
    # Rated this many steps above what the text shows: say so (rating up by one is AO3's advice).
    unsupported_rating_gap: int = 2


DEFAULTS = AuditSettings()


class CharacterMatcher:
    """Answers "which character of this profile does this author tag name?"."""

    def __init__(self, profile: Profile, kb_characters: dict):
        self.by_key: dict[str, str] = {}
        for character in profile.characters:
            names = [character.name, *character.aliases]
            if character.is_reader:
                names += READER_TAG_NAMES
            kb = kb_characters.get(character.id)
            if kb is not None:
                names += [kb.tag, *kb.names()]
            for name in names:
                self.by_key.setdefault(normalize_alias(name), character.id)

        self.characters = [c for c in profile.characters if not c.is_reader]

    def match(self, tag: str) -> str | None:
        for candidate in (tag, *sorted(character_names(tag))):
            found = self.by_key.get(normalize_alias(candidate))
            if found:
                return found
        return self._by_name_parts(re.sub(r"\s*\([^)]*\)", "", tag))

    def _by_name_parts(self, tag: str) -> str | None:
        """A full-name tag ("Fitzwilliam Darcy") against the forms a story uses ("Mr. Darcy",
        "Jane", "Miss Bennet"). In a family the given name is the sharper key, so a character
        known by that given name alone wins; else the one whose surname agrees and whose gender
        (from title or name) does not contradict the tag's given name. None when two fit equally."""
        wanted = split_name(tag)
        if not wanted.first or not wanted.last:
            return None
        first, last = wanted.first.lower(), wanted.last.lower()
        guess = first_name_gender(wanted.first)
        gender = guess[0] if guess and guess[1] >= 0.8 else None
        full, by_first, by_last = set(), set(), set()
        for character in self.characters:
            if gender and character.gender not in (gender, "unknown"):
                continue
            for alias in character.aliases or [character.name]:
                parts = split_name(alias)
                alias_first, alias_last = (parts.first or "").lower(), (parts.last or "").lower()
                if gender and title_gender(parts.title) not in (None, gender):
                    continue
                if alias_first == first and alias_last == last:
                    full.add(character.id)
                elif alias_first == first and not alias_last:
                    by_first.add(character.id)
                elif alias_last == last and not alias_first:
                    by_last.add(character.id)
        for found in (full, by_first, by_last):
            if len(found) == 1:
                return next(iter(found))
            if found:
                return None
        return None


def _finding(field: str, kind: str, tag: str, message: str, suggestion: TagSuggestion | None = None) -> AuditFinding:
    return AuditFinding(field, kind, tag, message, list(suggestion.evidence) if suggestion else [])


def audit_rating(
    author: AuthorTags, suggested: TagSuggestion | None, settings: AuditSettings = DEFAULTS
) -> list[AuditFinding]:
    claimed, found = rating_level(author.rating), rating_level(suggested.tag if suggested else None)
    if claimed is None or found is None or suggested is None or author.rating is None:
        return []  # (a level exists only for a rating given, so this drops no finding)
    if found > claimed and suggested.confidence >= settings.missing_min_confidence:
        return [
            _finding(
                "rating",
                "missing",
                suggested.tag,
                f"rated {author.rating}, but the text reads as {suggested.tag}",
                suggested,
            )
        ]
    if claimed - found >= settings.unsupported_rating_gap:
        return [
            _finding(
                "rating",
                "unsupported",
                author.rating,
                f"rated {author.rating}, but nothing found above {suggested.tag}",
            )
        ]
    return []


def audit_warnings(
    author: AuthorTags, suggested: list[TagSuggestion], settings: AuditSettings = DEFAULTS
) -> list[AuditFinding]:
    if not author.warnings or any(normalize_alias(w) in OPTED_OUT for w in author.warnings):
        return []
    claimed = {canonical_warning(w) or w.strip() for w in author.warnings}  # "Underage" is "Underage Sex"
    found = {s.tag: s for s in suggested if s.tag in WARNINGS and s.tag != NO_WARNINGS}
    findings = [
        _finding("warnings", "missing", tag, f"the text shows '{tag}', which the warnings do not give", s)
        for tag, s in found.items()
        if tag not in claimed and s.confidence >= settings.missing_min_confidence
    ]
    findings += [
        _finding("warnings", "unsupported", tag, f"warned '{tag}', but no passage supporting it was found")
        for tag in sorted(claimed)
        if tag in WARNINGS and tag != NO_WARNINGS and tag not in found
    ]
    return findings


def audit_fandoms(
    author: AuthorTags, suggested: list[TagSuggestion], kb: KnowledgeBase, settings: AuditSettings = DEFAULTS
) -> list[AuditFinding]:
    identity = FandomIdentity(kb)  # "Pacific Rim (Movies)" is the KB's "Pacific Rim (2013)"
    canon = identity.id

    claimed = {canon(t) for t in author.fandoms}
    findings = [
        _finding("fandoms", "missing", s.tag, f"the text draws on {s.tag}, which the fandom tags do not name", s)
        for s in suggested
        if canon(s.tag) not in claimed and s.confidence >= settings.missing_min_confidence
    ]
    found = {canon(s.tag) for s in suggested}
    findings += [
        _finding("fandoms", "unsupported", tag, f"tagged {tag}, but none of its characters, places or terms were found")
        for tag in author.fandoms
        if identity.kb_id(tag) is not None and canon(tag) not in found
    ]
    return findings


def audit_characters(
    author: AuthorTags, profile: Profile, matcher: CharacterMatcher, settings: AuditSettings = DEFAULTS
) -> list[AuditFinding]:
    tagged = {matcher.match(t) for t in author.characters} - {None}
    findings = [
        _finding("characters", "unsupported", tag, f"tagged {tag}, who is not among the characters found in the story")
        for tag in author.characters
        if matcher.match(tag) is None and not is_original_character(tag)
    ]
    for suggestion in profile.tags.characters:
        cid = matcher.match(suggestion.tag)
        if cid and cid not in tagged and suggestion.confidence >= settings.major_character_confidence:
            findings.append(
                _finding(
                    "characters",
                    "missing",
                    suggestion.tag,
                    f"{suggestion.tag} is a main character but not tagged",
                    suggestion,
                )
            )
    return findings


def audit_relationships(
    author: AuthorTags, profile: Profile, matcher: CharacterMatcher, contacts: dict, settings: AuditSettings = DEFAULTS
) -> list[AuditFinding]:
    """Pairings are compared as (pair, romantic?): an author's "A & B" does not cover the romance
    "A/B" the text shows, nor the other way round."""
    findings = []
    claimed: set[tuple[tuple[str, ...], bool]] = set()
    for tag in author.relationships:
        romantic, names = parse_relationship_tag(tag)
        if len(names) < 2 or any(is_original_character(n) for n in names):
            continue
        matched = [matcher.match(name) for name in names]
        ids = [i for i in matched if i is not None]
        if len(ids) < len(matched):
            findings.append(
                _finding(
                    "relationships",
                    "unsupported",
                    tag,
                    f"tagged {tag}, but not all of them are among the characters found",
                )
            )
            continue
        key = tuple(sorted(set(ids)))
        claimed.add((key, romantic))
        if len(key) == 2 and key not in contacts:
            findings.append(
                _finding(
                    "relationships",
                    "unsupported",
                    tag,
                    f"tagged {tag}, but no sentence or exchange with both was found",
                )
            )
    for suggestion in profile.tags.relationships:
        relationship = next((r for r in profile.relationships if r.tag == suggestion.tag), None)
        if relationship is None or suggestion.confidence < settings.missing_min_confidence:
            continue
        if (tuple(sorted(relationship.characters)), relationship.type == "romantic") not in claimed:
            findings.append(
                _finding(
                    "relationships",
                    "missing",
                    suggestion.tag,
                    f"the story shows {suggestion.tag}, which the relationship tags do not name",
                    suggestion,
                )
            )
    return findings


def audit_categories(
    author: AuthorTags, suggested: list[TagSuggestion], settings: AuditSettings = DEFAULTS
) -> list[AuditFinding]:
    claimed = {c.strip() for c in author.categories}
    if not claimed:
        return []
    return [
        _finding("categories", "missing", s.tag, f"the story has a {s.tag} relationship, not in its categories", s)
        for s in suggested
        if s.tag != GEN and s.tag not in claimed and s.confidence >= settings.missing_min_confidence
    ]


_NARRATION_TAGS = {  # the author's tag (normalised) → the narration fact it states
    "second person": "second",
    "second person pov": "second",
    "first person": "first",
    "first person pov": "first",
    "reader-insert": "reader",
    "reader insert": "reader",
    "x reader": "reader",
    "reader x character": "reader",
}


def audit_narration(author: AuthorTags, profile: Profile) -> list[AuditFinding]:
    """Tags that state the narration outright ("Second Person", "Reader-Insert") are checked against it."""
    pov = profile.narration.pov
    if pov is None:
        return []
    has_reader = any(c.is_reader for c in profile.characters)
    findings = []
    for tag in author.additional:
        fact = _NARRATION_TAGS.get(normalize_alias(tag))
        if fact == "reader" and not has_reader:
            findings.append(
                _finding(
                    "additional",
                    "unsupported",
                    tag,
                    f'tagged {tag}, but no reader is addressed as "you" in the narration',
                )
            )
        elif fact in ("first", "second") and pov != fact:
            findings.append(
                _finding("additional", "unsupported", tag, f"tagged {tag}, but the story is told in the {pov} person")
            )
    return findings


@component(
    "audit",
    requires=(
        "kb_characters",
        "pair_contacts",
        "profile.tags",
        "profile.characters",
        "profile.relationships",
        "profile.narration",
    ),
    assigns=("profile.audit",),
    settings=AuditSettings,
)
def audit_tags(analysis: Analysis, settings: AuditSettings = DEFAULTS) -> None:
    """Pipeline component: `profile.audit`, for works whose source carried author tags."""
    profile = analysis.profile
    author = analysis.work.author_tags
    if author.is_empty():
        return
    matcher = CharacterMatcher(profile, analysis.layers.kb_characters)
    tags = profile.tags
    profile.audit = [
        *audit_rating(author, tags.rating, settings),
        *audit_warnings(author, tags.warnings, settings),
        *audit_fandoms(author, tags.fandoms, analysis.resources.kb, settings),
        *audit_characters(author, profile, matcher, settings),
        *audit_relationships(author, profile, matcher, analysis.layers.pair_contacts, settings),
        *audit_categories(author, tags.categories, settings),
        *audit_narration(author, profile),
    ]
