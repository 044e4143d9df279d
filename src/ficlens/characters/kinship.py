"""Resolving kin phrases — "her father", "his wife", "Emma's sister" — to characters.

Fiction names relatives by their relation to someone already known. Given the possessor, the
relative is looked for first in the knowledge base (canon families: Kylo Ren's father is Han Solo),
then among the characters who share the possessor's surname and have the relation's gender: a
parent or spouse is preferably the one addressed by title and surname ("Mr. Bennet"), a sibling or
child one known by a given name. Used by quote attribution ("said her mother") and, later, by
relationship extraction.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..kb import KBCharacter, normalize_alias
from ..model import Character
from .names import split_name, title_gender

MALE_KIN = {"father", "husband", "brother", "son", "uncle", "grandfather", "nephew", "papa", "dad", "daddy"}
FEMALE_KIN = {
    "mother",
    "wife",
    "sister",
    "daughter",
    "aunt",
    "grandmother",
    "niece",
    "mama",
    "mamma",
    "mum",
    "mom",
    "mommy",
}
ELDER_OR_SPOUSE = {
    "father",
    "mother",
    "husband",
    "wife",
    "uncle",
    "aunt",
    "grandfather",
    "grandmother",
    "papa",
    "dad",
    "daddy",
    "mama",
    "mamma",
    "mum",
    "mom",
    "mommy",
}
KIN_TERMS = MALE_KIN | FEMALE_KIN | {"cousin", "child", "parent", "sibling"}
CANONICAL_KIN = {
    "papa": "father",
    "dad": "father",
    "daddy": "father",
    "mama": "mother",
    "mamma": "mother",
    "mum": "mother",
    "mom": "mother",
    "mommy": "mother",
}


_UNMARRIED_TITLES = {"miss", "master"}  # never anyone's wife, husband or parent
_MARRIED_IN_TITLES = {"mrs"}  # with the family's surname: a wife who married in, not a daughter or sister
_BORN_IN = {"sister", "daughter", "niece", "brother", "son", "nephew", "sibling", "child"}


def _titles(character: Character) -> set[str]:
    return {title.lower().rstrip(".") for a in character.aliases if (title := split_name(a).title)}


def _title_allows(character: Character, relation: str) -> bool:
    """Whether the titles a character goes by fit the relation: "Miss Bennet" is nobody's wife or
    mother, and "Mrs. Bennet" is the Bennets' wife, not their daughter."""
    titles = _titles(character)
    if relation in ELDER_OR_SPOUSE and titles and titles <= _UNMARRIED_TITLES:
        return False
    if relation in _BORN_IN and titles and titles <= _MARRIED_IN_TITLES:
        return False
    return True


def kin_gender(term: str) -> str | None:
    term = term.lower()
    if term in MALE_KIN:
        return "male"
    if term in FEMALE_KIN:
        return "female"
    return None


def _surnames(character: Character) -> set[str]:
    return {last.lower() for alias in character.aliases if (last := split_name(alias).last)}


def resolve_kin(
    possessor: Character,
    term: str,
    characters: Iterable[Character],
    kb_character: KBCharacter | None = None,
) -> Character | None:
    """The character who is `possessor`'s `term` (father, sister…), or None when unclear."""
    term = term.lower()
    relation = CANONICAL_KIN.get(term, term)
    others = [c for c in characters if c.id != possessor.id and not c.is_reader]
    if kb_character is not None:
        for name, rel in kb_character.relatives.items():
            if rel == relation:
                key = normalize_alias(name)
                match = next((c for c in others if key in {normalize_alias(a) for a in (c.name, *c.aliases)}), None)
                if match is not None:
                    return match
    gender = kin_gender(term)
    surnames = _surnames(possessor)
    if not surnames or gender is None:
        return None
    candidates = [
        c for c in others if _surnames(c) & surnames and c.gender in (gender, "unknown") and _title_allows(c, relation)
    ]
    if not candidates:
        return None

    def fit(c: Character) -> tuple:
        titled = any(
            split_name(a).title and not split_name(a).first and title_gender(split_name(a).title) == gender
            for a in c.aliases
        )
        given = any(split_name(a).first for a in c.aliases)
        preferred = titled if relation in ELDER_OR_SPOUSE else given and not titled
        return (preferred, c.gender == gender, c.mention_count)

    ranked = sorted(candidates, key=fit, reverse=True)
    if len(ranked) > 1 and fit(ranked[0])[:2] == fit(ranked[1])[:2] and relation not in ELDER_OR_SPOUSE:
        return None  # two sisters: which one is not for us to guess
    return ranked[0]
