"""Writing relationships the AO3 way: `A/B` for romantic or sexual, `A & B` for platonic.

Names are AO3 character tags: the knowledge base's canonical tag when the character is a canon
one ("Ben Solo | Kylo Ren"), "Reader" for the second-person reader, else the name the text uses
most. A pairing the knowledge base knows keeps its canonical spelling and order
("Rey/Ben Solo | Kylo Ren"). Otherwise the wranglers' rule applies: characters in alphabetical
order by surname (by the one name of a mononymous character, ignoring a fandom disambiguator in
parentheses), with "Reader" and original characters last, as in "Ben Solo | Kylo Ren/Reader".
"""

from __future__ import annotations

import re

from ..ao3vocab import READER_NAME_PLACEHOLDERS, READER_TAG
from ..kb import KBRelationship, normalize_alias

ROMANTIC_SEPARATOR = "/"
PLATONIC_SEPARATOR = " & "
# Reader ("Reader", "You", "Y/N", "Y/N L/N") and original characters go after the canon
# characters, whatever their letters.
_YOUR_NAME, _LAST_NAME = (re.escape(p.lower()) for p in READER_NAME_PLACEHOLDERS)
_LAST = re.compile(
    rf"^(?:{READER_TAG.lower()}|you|{_YOUR_NAME}(?: {_LAST_NAME})?|"
    r"original (?:female |male |non-binary |nonbinary )?character)\b",
    re.IGNORECASE,
)


def surname_key(tag: str) -> tuple[int, str]:
    """Sort key of a character tag: (last-group flag, surname-or-only-name, whole tag)."""
    name = tag.split("|")[0]
    name = re.sub(r"\([^)]*\)?", "", name).strip()
    lowered = name.lower()
    if _LAST.match(lowered):
        return (1, lowered)
    words = name.split()
    surname = words[-1] if words else lowered
    return (0, f"{surname.lower()} {lowered}")


def ordered_names(names: list[str]) -> list[str]:
    return sorted(names, key=surname_key)


def join_tag(names: list[str], romantic: bool) -> str:
    return (ROMANTIC_SEPARATOR if romantic else PLATONIC_SEPARATOR).join(names)


def canonical_match(kb_names: list[str | None], romantic: bool, known: list[KBRelationship]) -> KBRelationship | None:
    """The KB relationship naming exactly these characters (by KB name, or READER), if any."""
    if any(name is None for name in kb_names):
        return None
    wanted = sorted(normalize_alias(n) for n in kb_names if n)
    kind = "romantic" if romantic else "platonic"
    for relationship in known:
        if relationship.type == kind and sorted(normalize_alias(n) for n in relationship.characters) == wanted:
            return relationship
    return None


def character_tag(character, kb_characters: dict) -> str:
    """AO3's name for a character: canon tag, "Reader", or the fullest form the story gives its
    name ("Owen Pike" rather than "Owen"), as AO3 character tags use full names."""
    if character.is_reader:
        return READER_TAG
    kb = kb_characters.get(character.id)
    if kb is not None:
        return kb.tag
    fuller = [
        a
        for a in character.aliases
        if a.startswith(character.name + " ") and not a[len(character.name) :].strip().startswith("(")
    ]
    return max(fuller, key=len) if " " not in character.name and fuller else character.name
