"""Characters known by a description ("the beadle", "The Gentleman in the White Waistcoat").

A cast file may list such descriptions as aliases. Character finding looks only for
capitalised names, so without help "said the beadle" and "the beadle looked round" would never
count as Mr. Bumble; this module finds the descriptions in the text, and tells which
descriptions are too general ("the man") to name one person.
"""

from __future__ import annotations

import bisect
import re

from ..model import Character, Mention, id_slug
from .names import canonical_title, split_name

# Nouns that describe anyone: "said the man" names nobody in particular.
GENERIC_PERSON = {
    "man",
    "woman",
    "men",
    "women",
    "girl",
    "boy",
    "lad",
    "lass",
    "lady",
    "gentleman",
    "stranger",
    "other",
    "one",
    "child",
    "person",
    "fellow",
    "youth",
    "figure",
    "voice",
    "creature",
    "people",
    "another",
    "others",
    "someone",
    "somebody",
    "visitor",
    "guest",
    "friend",
    "companion",
}


def description_key(phrase: str) -> str:
    """ "The  Gentleman in the white waistcoat" → "gentleman in the white waistcoat"."""
    words = re.sub(r"[^\w' -]+", " ", phrase.lower()).split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def generic_description(key: str) -> bool:
    """ "man", "the young lady", "the other": a description that fits many people in one story."""
    words = key.split()
    return not words or (len(words) <= 2 and words[-1] in GENERIC_PERSON)


def is_description(alias: str) -> bool:
    """ "The Beadle" or "old sally" is a description; "Mr. Bumble" is a name."""
    return alias.lower().startswith("the ") or alias.islower()


# How far back a titled character's name still makes "the doctor" mean that doctor.
TITLE_HOLDER_CHARS = 2000


def title_holders(aliases: dict[str, list[str]]) -> dict[str, set[str]]:
    """Role word → the characters whose names carry it as a title ("doctor" → Doctor Losberne
    and Dr. Grey): the people a bare "the doctor" may mean."""
    holders: dict[str, set[str]] = {}
    for cid, names in aliases.items():
        for name in names:
            parts = split_name(name)
            if parts.title and (parts.first or parts.last):
                holders.setdefault(canonical_title(parts.title.split()[-1]), set()).add(cid)
    return holders


def recent_holder(role: str, holders: dict[str, set[str]], scene: list[Mention]) -> str | None:
    """In "said the doctor" the doctor is the one whose titled name was last met in the scene,
    not a story-wide "the doctor": a novel has one doctor per scene more often than one in all.
    `scene` holds the mentions before the description, in any order: names, and the scene's
    earlier "the doctor", so that a long scene keeps its doctor."""
    candidates = holders.get(canonical_title(role))
    if not candidates:
        return None
    latest = max((m for m in scene if m.character in candidates), key=lambda m: m.start, default=None)
    return latest.character if latest else None


class SceneRoles:
    """Who a role word ("the doctor") means, scene by scene, for one pass through a text in
    order: the titled character last named within `TITLE_HOLDER_CHARS` before it, or whom the
    scene's previous "the doctor" meant, else `default`. Character finding (a cast's
    descriptions) and attribution (`said the doctor`) each keep one."""

    def __init__(self, aliases: dict[str, list[str]]):
        self.holders = title_holders(aliases)
        self.last: dict[str, Mention] = {}  # role → its latest occurrence, and whom it meant

    def resolve(self, role: str, start: int, names_before: list[Mention], default: str) -> str:
        """`names_before`: the name mentions of the `TITLE_HOLDER_CHARS` before `start`."""
        scene = list(names_before)
        previous = self.last.get(role)
        if previous is not None and start - TITLE_HOLDER_CHARS <= previous.start < start:
            scene.append(previous)
        owner = recent_holder(role, self.holders, scene) or default
        self.last[role] = Mention(start, start, owner, "nominal")
        return owner


def cast_character(entry) -> Character:
    """The profile character for a cast entry character finding never met by name."""
    cid = "cast-" + id_slug(entry.name)
    return Character(id=cid, name=entry.name, aliases=list(entry.aliases), gender=entry.gender or "unknown")


def unique_descriptions(entries) -> dict:
    """Description key → its one owner, from (owner, aliases) pairs; a description two owners
    share, or one that fits anybody, is left out."""
    owners: dict[str, dict[int, object]] = {}
    for owner, aliases in entries:
        for alias in aliases:
            key = description_key(alias)
            if is_description(alias) and not generic_description(key):
                owners.setdefault(key, {})[id(owner)] = owner
    return {key: next(iter(ids.values())) for key, ids in owners.items() if len(ids) == 1}


def description_mentions(
    text: str, spans: list[tuple[int, int]], aliases: dict[str, list[str]], taken: list[Mention]
) -> list[Mention]:
    """Nominal mentions of description aliases ("the beadle") inside `spans`; `aliases` maps a
    character id to its names.

    A description shared by two characters, or one that fits anybody, names nobody; an
    occurrence overlapping a mention already found (a capitalised "the Dodger") is left to it.
    """
    unique = unique_descriptions(aliases.items())
    if not unique:
        return []
    alternatives = sorted((re.escape(k).replace(r"\ ", r"\s+") for k in unique), key=len, reverse=True)
    pattern = re.compile(r"\bthe\s+(" + "|".join(alternatives) + r")\b", re.IGNORECASE)
    occupied = sorted((m.start, m.end) for m in taken)
    names = sorted((m for m in taken if m.kind == "name"), key=lambda m: m.start)
    name_starts = [m.start for m in names]
    roles = SceneRoles(aliases)
    found = []
    for start, end in spans:
        for match in pattern.finditer(text, start, end):
            if not _overlaps(occupied, match.start(), match.end()):
                key = " ".join(match.group(1).lower().split())
                scene = names[
                    bisect.bisect_left(name_starts, match.start() - TITLE_HOLDER_CHARS) : bisect.bisect_left(
                        name_starts, match.start()
                    )
                ]
                owner = roles.resolve(key, match.start(), scene, default=unique[key])
                found.append(Mention(match.start(), match.end(), owner, "nominal"))
    return found


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_left(spans, (end, end))
    return i > 0 and spans[i - 1][1] > start
