"""How AO3 tags are spelled, so that two spellings of one tag can be compared.

Authors type "Rey / Kylo Ren", wranglers write "Rey/Ben Solo | Kylo Ren"; a character tag may
carry `|` alternatives and a fandom disambiguator in parentheses; "Y/N" is a name, not a
separator; "Original Female Character(s)" stands for nobody the text can name. The audit and the
tag evaluation both read tags this way, from this one module.
"""

from __future__ import annotations

import re

from .kb import KnowledgeBase, normalize_alias
from .ao3vocab import PLACEHOLDER_LETTERS, RATINGS, UNDERAGE, UNDERAGE_BEFORE_2024, WARNINGS

# "Original Characters", "Original Female Character(s)"…: AO3's placeholders for characters
# without a canon tag.
_ORIGINAL_CHARACTER = re.compile(r"^original (?:(?:female|male|non-?binary) )?characters?(?: ?\(s\))?$")
_DISAMBIGUATOR = re.compile(r"\s*\([^()]*\)$")
# "/" separates the people of a romantic tag, except inside the reader placeholders Y/N, L/N, E/N, H/N.
_ROMANTIC_SEPARATOR = re.compile(rf"(?<!\b[{PLACEHOLDER_LETTERS}{PLACEHOLDER_LETTERS.lower()}])\s*/\s*(?![Nn]\b)")
_PLATONIC_SEPARATOR = re.compile(r"\s*&\s*")


def tag_key(tag: str) -> str:
    """How two spellings of one tag are compared: case-folded, single-spaced, straight
    apostrophes, Latin accents dropped (`normalize_alias`), and spaces around `/`, `&` and `|`
    made uniform, because "Rey/Kylo" and "Rey / Kylo" are the same tag."""
    key = normalize_alias(tag)
    key = re.sub(r"\s*/\s*", "/", key)
    key = re.sub(r"\s*&\s*", " & ", key)
    return re.sub(r"\s*\|\s*", " | ", key).strip()


def character_names(tag: str) -> frozenset[str]:
    """The names one character tag stands for: each `|` alternative, with and without its
    fandom disambiguator. "Ben Solo | Kylo Ren" → {ben solo, kylo ren}; "Rey (Star Wars)" →
    {rey (star wars), rey}. Two character tags name the same character when these sets meet."""
    names: set[str] = set()
    for part in tag_key(tag).split(" | "):
        part = part.strip()
        if part:
            names.add(part)
            bare = _DISAMBIGUATOR.sub("", part).strip()
            if bare:
                names.add(bare)
    return frozenset(names)


def is_original_character(tag: str) -> bool:
    return bool(_ORIGINAL_CHARACTER.match(tag_key(tag)))


def parse_relationship_tag(tag: str) -> tuple[bool, list[str]]:
    """(romantic?, the people as written): `A/B` is romantic, `A & B` platonic."""
    people = [p.strip() for p in _ROMANTIC_SEPARATOR.split(tag) if p.strip()]
    if len(people) > 1:
        return True, people
    return False, [p.strip() for p in _PLATONIC_SEPARATOR.split(tag) if p.strip()]


# Rating spellings authors use, by level (0 General … 3 Explicit, as `ao3vocab.RATINGS`).
RATING_LEVELS = {normalize_alias(r): i for i, r in enumerate(RATINGS)} | {
    "general": 0,
    "teen and up": 1,
    "teen": 1,
}
# The four warnings that claim something is in the work. AO3 renamed "Underage" to
# "Underage Sex" in 2024; both spellings are the same warning.
WARNING_NAMES = {normalize_alias(w): w for w in WARNINGS} | {normalize_alias(UNDERAGE_BEFORE_2024): UNDERAGE}


def rating_level(tag: str | None) -> int | None:
    """0–3 for a rating tag in any usual spelling; None for "Not Rated", an unknown or no tag."""
    return RATING_LEVELS.get(tag_key(tag)) if tag else None


def canonical_warning(tag: str) -> str | None:
    """The current AO3 spelling of one of the four content warnings, or None for any other tag."""
    return WARNING_NAMES.get(tag_key(tag))


def fandom_family_keys(tag: str) -> set[str]:
    """A fandom tag without its medium or author: each `|` alternative with parenthesised parts,
    a " - Author" or " - All Media Types" tail and a leading "the" dropped. "Pacific Rim (Movies)"
    and "Pacific Rim (2013)" are one family; so are "Howl no Ugoku Shiro | Howl's Moving Castle"
    and "Howl's Moving Castle - All Media Types"."""
    keys = set()
    for part in tag_key(tag).split(" | "):
        part = re.sub(r"\([^()]*\)", " ", part).split(" - ")[0]
        part = re.sub(r"^the\s+", "", " ".join(part.split()))
        if len(part) > 2:
            keys.add(part)
    return keys


class FandomIdentity:
    """Which KB fandom an author's fandom tag is: by the KB's own tags (`KnowledgeBase.fandom`),
    else by family (`fandom_family_keys`), because authors tag the canon by the medium they know
    ("Pacific Rim (Movies)") while the KB lists the canonical tag and a few sub-tags."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.families: dict[str, set[str]] = {}
        for fandom in kb.fandoms:
            for tag in (fandom.tag, *fandom.related):
                for key in fandom_family_keys(tag):
                    self.families.setdefault(key, set()).add(fandom.id)

    def kb_id(self, tag: str) -> str | None:
        found = self.kb.fandom(tag)
        if found is not None:
            return found.id
        ids = {i for key in fandom_family_keys(tag) for i in self.families.get(key, ())}
        return next(iter(ids)) if len(ids) == 1 else None  # a family two fandoms share decides nothing

    def id(self, tag: str) -> str:
        return self.kb_id(tag) or tag_key(tag)
