"""Characters a speech tag brings in without a name: "said the butler", "the cook asked".

Character finding only sees capitalised names; attribution meets people the story names by
their role or by a description when they speak. Those become characters here, the first time
a tag names them: a role ("the waiter": one waiter per story, or the titled character the scene
last named), a description a cast or canon entry gives ("The Cook"), or a cast entry the text
never named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Character, Mention, id_slug
from ..spans import SpanIndex
from .descriptions import TITLE_HOLDER_CHARS, SceneRoles, cast_character, description_key, unique_descriptions

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..nlp import Chunk

# Roles that name one particular person in a story when they speak ("said the butler").
SPEAKING_ROLE_NOUNS = {
    "waiter", "waitress", "barman", "bartender", "butler", "maid", "housekeeper", "footman", "coachman",
    "driver", "cabman", "porter", "nurse", "nanny", "governess", "doctor", "surgeon", "vicar", "rector",
    "curate", "priest", "clergyman", "chaplain", "clerk", "landlord", "landlady", "innkeeper", "shopkeeper",
    "stationmaster", "gardener", "cook", "valet", "page", "boatman", "guard", "sentry", "jailer", "gaoler",
    "magistrate", "judge", "captain", "sergeant", "corporal", "lieutenant", "colonel", "general",
    "stormtrooper", "droid", "pilot", "bishop", "abbot", "abbess", "postman", "policeman", "constable",
    "inspector", "detective", "coroner", "secretary", "receptionist", "teacher", "headmaster", "headmistress",
    "professor", "chauffeur", "conductor",
    # trades and offices of nineteenth- and twentieth-century fiction
    "croupier", "officer", "keeper", "turnkey", "warder", "warden", "parlourmaid", "parlormaid", "housemaid",
    "chambermaid", "nursemaid", "kitchenmaid", "solicitor", "lawyer", "attorney", "barrister", "notary",
    "apothecary", "chemist", "druggist", "physician", "dentist", "midwife", "tinker", "pedlar", "peddler",
    "hawker", "servant", "lackey", "lacquey", "gamekeeper", "attendant", "watchman", "beadle", "matron",
    "undertaker", "usher", "messenger", "steward", "stewardess", "commissionaire", "superintendent",
    "cashier", "proprietor", "proprietress", "concierge", "doorkeeper", "doorman", "janitor", "caretaker",
    "groom", "ostler", "hostler", "sexton", "verger", "bailiff", "hangman", "schoolmaster", "schoolmistress",
    "tutor", "laundress", "milkman", "baker", "butcher", "grocer", "tailor", "dressmaker", "milliner",
    "hairdresser", "barber", "minister", "pastor", "parson", "deacon", "archdeacon", "interpreter", "cabby",
    "ferryman", "fisherman", "shepherd", "ploughman", "carter", "woodcutter", "miller", "blacksmith",
    "carpenter", "mason", "skipper", "purser", "boatswain", "bosun", "helmsman", "official", "manager",
    "foreman", "overseer",
}  # fmt: skip


class SpeakingRoles:
    """The unnamed speakers of one work, added to its profile as tags name them.

    `characters` is the attribution's own id → character map: a character made here is added to
    it and to the profile, so that later tags find it."""

    def __init__(self, analysis: Analysis, characters: dict[str, Character], mentions: SpanIndex[Mention]):
        self.analysis = analysis
        self.characters = characters
        self.mentions = mentions
        self.role_mentions: set[int] = set()  # starts of the nominal mentions `role` added
        self.scene_roles = SceneRoles({cid: [c.name, *c.aliases] for cid, c in characters.items()})
        self.descriptions = self._descriptions()

    def role(self, token: Any, chunk: Chunk) -> str | None:
        """ "…," said the waiter / nanny asked: an unnamed character known by a particular role.

        The same role in one story is taken to be the same person (one butler, one nanny), so
        the role becomes a character with a nominal mention. Generic nouns (man, woman, girl)
        are left alone unless a phrase sets the person apart ("the gentleman in the white
        waistcoat"): alone they are rarely one person throughout.
        """
        if token.pos_ != "NOUN":
            return None
        det = next((c for c in token.children if c.dep_ == "det"), None)
        if det is not None and det.lower_ != "the":
            return None
        role = token.lemma_.lower() if token.lemma_.lower() in SPEAKING_ROLE_NOUNS else _distinguished(token, det)
        if role is None:
            return None
        start = chunk.offset + (det.idx if det is not None else token.idx)
        names = [m for m in self.mentions.within(max(0, start - TITLE_HOLDER_CHARS), start) if m.kind == "name"]
        cid = self.scene_roles.resolve(role, start, names, default="the-" + id_slug(role))
        if cid not in self.characters:
            character = Character(id=cid, name=f"the {role}", aliases=[f"the {role}"])
            self.characters[cid] = character
            self.analysis.profile.characters.append(character)
        if start not in self.role_mentions:  # the words after one quote are also those before the next
            self.role_mentions.add(start)
            self.analysis.profile.mentions.append(
                Mention(start, chunk.offset + token.idx + len(token.text), cid, "nominal")
            )
            self.characters[cid].mention_count += 1
        return cid

    def described(self, token: Any) -> str | None:
        """ "said the cook" / "the gentleman in the white waistcoat": a character known by a
        description (a cast alias such as "The Cook"), matched on the whole noun phrase or
        on its words up to the noun."""
        if token.pos_ not in ("NOUN", "PROPN") or not self.descriptions:
            return None
        phrase = list(token.subtree)
        for words in (phrase, [t for t in phrase if t.i <= token.i]):
            owner = self.descriptions.get(description_key(" ".join(t.text for t in words)))
            if owner:
                return owner if isinstance(owner, str) else self._cast_character(owner)
        return None

    def _descriptions(self) -> dict[str, object]:
        """Description aliases ("The Cook", "the old lady") → the one character they belong to:
        a character's id, or a cast entry that was never named in the text (a cook called
        only "the cook" never gives character finding a capitalised name)."""
        names = {c.name for c in self.characters.values()}
        # A character found by name keeps the descriptions of the cast or canon entry it was
        # merged through: Mr. Bumble is also "the beadle", though the text never capitalises it.
        merged_through = self.analysis.layers.kb_characters
        entries: list[tuple[Any, tuple[str, ...]]] = [
            (cid, (c.name, *c.aliases, *(getattr(merged_through.get(cid), "aliases", None) or ())))
            for cid, c in self.characters.items()
        ]
        entries += [
            (entry, (entry.name, *entry.aliases)) for entry in self.analysis.resources.cast if entry.name not in names
        ]
        return unique_descriptions(entries)

    def _cast_character(self, entry: Any) -> str:
        """The character for a cast entry, added to the profile the first time it speaks."""
        character = cast_character(entry)
        if character.id not in self.characters:
            self.characters[character.id] = character
            self.analysis.profile.characters.append(character)
        return character.id


def _distinguished(token: Any, det: Any) -> str | None:
    """ "gentleman in the white waistcoat" for "the gentleman in the white waistcoat": a
    person told apart by what they wear or carry or where they sit. A phrase with "a" is
    the manner of speaking instead ("said the man with a grin")."""
    if det is None:
        return None
    for prep in token.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "with"):
            continue
        obj = next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None)
        obj_det = next((c for c in obj.children if c.dep_ == "det"), None) if obj is not None else None
        if obj is not None and obj_det is not None and obj_det.lower_ == "the":
            words = [token.lower_, prep.lower_, *(t.lower_ for t in obj.subtree if t.i <= obj.i)]
            return " ".join(words)
    return None
