"""Family links: who is whose father, sister or wife, from the text first and canon second.

"He confessed to killing his father": `his` is Kylo (coreference), and Kylo's father is Han —
either because the knowledge base says so or because Han is the man sharing Kylo's surname
(`characters/kinship.py` decides which relative a kin phrase names). Each phrase so resolved is a
`KinLink` with the phrase as evidence. Canon families the text never spells out still count when
both relatives appear, but only as weaker, KB-sourced links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..characters.kinship import CANONICAL_KIN, KIN_TERMS, resolve_kin
from ..model import Character, Profile
from ..spans import SpanIndex

_KIN = "|".join(sorted(KIN_TERMS, key=len, reverse=True))
_POSSESSIVE_KIN = re.compile(
    r"\b(?P<owner>[Hh]is|[Hh]er|[Mm]y|[Yy]our|[Tt]heir|[A-Z][\w-]*(?:'s|’s))\s+(?:own\s+|late\s+|dear\s+|beloved\s+|old\s+)?"
    rf"(?P<term>{_KIN})s?\b(?!-)"  # "her brother", not "her brother-in-law"
)
_APPOSITION = re.compile(r"^,?\s{1,2}$")  # "Tom, her brother" / "her brother, Tom" / "her brother Tom"


# If B is A's <key>, A is B's <value>, chosen by A's gender: (male, female, unknown).
_PARENTS = ("father", "mother", "parent")
_CHILDREN = ("son", "daughter", "child")
_INVERSE = {
    **dict.fromkeys(_PARENTS, _CHILDREN),
    **dict.fromkeys(_CHILDREN, _PARENTS),
    **dict.fromkeys(("brother", "sister", "sibling"), ("brother", "sister", "sibling")),
    **dict.fromkeys(("half-brother", "half-sister"), ("half-brother", "half-sister", "half-sibling")),
    **dict.fromkeys(("stepfather", "stepmother"), ("stepson", "stepdaughter", "stepchild")),
    **dict.fromkeys(("stepson", "stepdaughter"), ("stepfather", "stepmother", "step-parent")),
    **dict.fromkeys(("stepbrother", "stepsister"), ("stepbrother", "stepsister", "step-sibling")),
    **dict.fromkeys(("adoptive father", "adoptive mother"), ("adopted son", "adopted daughter", "adopted child")),
    **dict.fromkeys(
        ("adopted son", "adopted daughter", "adopted child"), ("adoptive father", "adoptive mother", "adoptive parent")
    ),
    **dict.fromkeys(("husband", "wife", "spouse"), ("husband", "wife", "spouse")),
    **dict.fromkeys(("uncle", "aunt"), ("nephew", "niece", "nephew or niece")),
    **dict.fromkeys(("nephew", "niece"), ("uncle", "aunt", "uncle or aunt")),
    **dict.fromkeys(("grandfather", "grandmother"), ("grandson", "granddaughter", "grandchild")),
    **dict.fromkeys(("grandson", "granddaughter"), ("grandfather", "grandmother", "grandparent")),
    **dict.fromkeys(
        ("great-grandfather", "great-grandmother"), ("great-grandson", "great-granddaughter", "great-grandchild")
    ),
    **dict.fromkeys(("father-in-law", "mother-in-law"), ("son-in-law", "daughter-in-law", "child-in-law")),
    **dict.fromkeys(("brother-in-law", "sister-in-law"), ("brother-in-law", "sister-in-law", "sibling-in-law")),
    **dict.fromkeys(("godfather", "godmother"), ("godson", "goddaughter", "godchild")),
    **dict.fromkeys(("godson", "goddaughter"), ("godfather", "godmother", "godparent")),
    "guardian": ("ward", "ward", "ward"),
    "ward": ("guardian", "guardian", "guardian"),
    "cousin": ("cousin", "cousin", "cousin"),
    "twin": ("twin", "twin", "twin"),
}


def invert_relation(relation: str, gender: str) -> str:
    """If B is A's `relation`, what A is to B, given A's gender ("father" → "son" for a man)."""
    forms = _INVERSE.get(relation)
    if forms is None:
        return "relative"
    return forms[0] if gender == "male" else forms[1] if gender == "female" else forms[2]


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


@dataclass(frozen=True)
class KinLink:
    """`relative` is `person`'s `relation` ("father"): read "relative is person's relation"."""

    person: str  # Character.id
    relative: str  # Character.id
    relation: str
    start: int  # the phrase (or, for canon links, the first shared passage) that shows it
    end: int
    source: str  # how the relative was found: "apposition" | "kb" | "surname" (text links), "canon" (KB only)
    passage: tuple[int, int] | None = None  # the sentence holding the phrase, for evidence

    @property
    def guessed(self) -> bool:
        """Found only because two people share a surname: a weaker claim than canon or apposition."""
        return self.source == "surname"


def kin_links_from_text(
    profile: Profile, kb_characters: dict, story_spans: list[tuple[int, int]], sentences: Sequence[tuple[int, int]] = ()
) -> list[KinLink]:
    """Kin phrases whose possessor is a known character and whose relative resolves to one."""
    text = profile.work.text
    mentions = SpanIndex(list(profile.mentions), lambda m: m.start)
    sentence_index = SpanIndex([_Span(*s) for s in sentences], lambda s: s.start)
    by_id = {c.id: c for c in profile.characters}
    links = []
    quotes = SpanIndex(list(profile.quotes), lambda q: q.start)
    for start, end in story_spans:
        for match in _POSSESSIVE_KIN.finditer(text, start, end):
            owner = mentions.containing(match.start("owner"))  # "Kylo Ren's father": the whole name
            if owner is None or owner.character not in by_id:
                continue
            person = by_id[owner.character]
            term = match.group("term").lower()
            relation = CANONICAL_KIN.get(term, term)
            relative, source = None, "apposition"
            if quotes.containing(match.start()) is None:  # in dialogue a name beside it is mostly a vocative
                relative = _named_in_apposition(text, match, mentions, by_id, person.id)
            if relative is None:
                kb_person = kb_characters.get(person.id)
                relative = resolve_kin(person, term, profile.characters, kb_person)
                kb_relative = kb_characters.get(relative.id) if relative is not None else None
                canon = (
                    kb_person is not None
                    and kb_relative is not None
                    and kb_person.relation_to(kb_relative.name) == relation
                )
                source = "kb" if canon else "surname"
            if relative is None or relative.id == person.id:
                continue
            sentence = sentence_index.containing(match.start())
            passage = (sentence.start, sentence.end) if sentence else match.span()
            links.append(KinLink(person.id, relative.id, relation, match.start(), match.end(), source, passage))
    return links


def _named_in_apposition(text: str, match: re.Match, mentions: SpanIndex, by_id: dict, person: str) -> Character | None:
    """The character a kin phrase stands beside, which names the relative outright:
    "Tom Penrose, her brother," or "her brother, Tom," — more direct than any surname rule."""
    after = next((m for m in mentions.within(match.end(), match.end() + 3) if m.kind == "name"), None)
    if after is not None and _APPOSITION.match(text[match.end() : after.start]) and after.character != person:
        return by_id.get(after.character)
    before = [m for m in mentions.within(max(0, match.start() - 60), match.start()) if m.kind == "name"]
    if (
        before
        and _APPOSITION.match(text[before[-1].end : match.start()])
        and text[before[-1].end : match.start()].startswith(",")
    ):
        if before[-1].character != person:
            return by_id.get(before[-1].character)
    return None


def kin_links_from_kb(characters: list[Character], kb_characters: dict) -> list[tuple[str, str, str]]:
    """(person, relative, relation) for every canon family tie between characters of this work."""
    links = []
    for person in characters:
        kb_person = kb_characters.get(person.id)
        if kb_person is None:
            continue
        for relative in characters:
            kb_relative = kb_characters.get(relative.id)
            if relative.id == person.id or kb_relative is None:
                continue
            relation = kb_person.relation_to(kb_relative.name)
            if relation:
                links.append((person.id, relative.id, relation))
    return links
