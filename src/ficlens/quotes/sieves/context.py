"""What every attribution sieve reads and writes: the work's context and the results so far.

`Context` holds what does not change while the sieves run (the text, the quotes, the mentions,
the speech tags, the paragraphs) and the small questions every sieve asks of it ("which
character is this token?"). `Attribution` is one quote's answer; `State` is the answers of all
quotes plus what the tag sieve learns for the later ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...characters.kinship import KIN_TERMS, resolve_kin
from ...characters.speaking_roles import SpeakingRoles
from ...discourse.pronouns import POSSESSIVE_GENDER
from ...discourse.speech_tags import SUBJECT_DEPS
from ...discourse.vocatives import GENERIC_ADDRESS, address_gender, vocative_epithets, vocative_mentions
from ...model import Character, Mention, Quote
from ...spans import SpanIndex

if TYPE_CHECKING:
    from ...analysis import Analysis
    from ...nlp import Chunk
    from ..attribute import SpeakerSettings


def mention_index(mentions: list[Mention]) -> SpanIndex[Mention]:
    """The mentions attribution reads (names and resolved pronouns), by offset."""
    return SpanIndex(mentions)


@dataclass
class Attribution:
    """One quote's speaker, how sure and by which sieve, and whom it is spoken to."""

    speaker: str | None = None
    confidence: float = 0.0
    method: str = ""
    addressees: list[str] = field(default_factory=list)

    def set(self, speaker: str, confidence: float, method: str) -> None:
        self.speaker, self.confidence, self.method = speaker, confidence, method


@dataclass
class State:
    """The sieves' results, one `Attribution` per quote, and what later sieves need to know."""

    results: list[Attribution]
    # Quotes grouped into conversations, each a list of turns (lists of quote indices).
    conversations: list[list[list[int]]]
    conversation_start: dict[int, int]  # quote → the first quote of its conversation
    tag_end: dict[int, int] = field(default_factory=dict)  # quote → where its tag after it ends
    weak: set[int] = field(default_factory=set)  # quotes whose tag may be a reaction, not a tag
    pronoun_genders: dict[int, str] = field(default_factory=dict)  # quotes tagged "he/she said"


class Context:
    """The work as the sieves see it."""

    def __init__(self, analysis: Analysis, settings: SpeakerSettings):
        self.analysis = analysis
        self.settings = settings
        self.text = analysis.work.text
        self.quotes: list[Quote] = analysis.profile.quotes
        self.characters = {c.id: c for c in analysis.profile.characters}
        self.mentions = mention_index(analysis.profile.mentions)
        self.tags = analysis.layers.speech_tags
        self.paragraphs = analysis.layers.paragraphs
        self.quote_index = analysis.layers.quote_index
        self.chunks = analysis.layers.chunks
        self.tokens = self.tags.tokens
        self.epithets = self._epithets()
        self.roles = SpeakingRoles(analysis, self.characters, self.mentions)
        self.names = self._names()

    def conversations(self) -> list[list[list[int]]]:
        """Quotes grouped into conversations (runs with little narration between), each a list
        of turns (quotes of one paragraph, or of one tag-less stretch in flattened text)."""
        conversations: list[list[list[int]]] = []
        gap = self.tags.conversation_gap_chars
        for i, quote in enumerate(self.quotes):
            if i == 0 or quote.start - self.quotes[i - 1].end > gap:
                conversations.append([[i]])
                continue
            turns = conversations[-1]
            if self.paragraphs and not self.paragraphs.between(self.quotes[i - 1].end, quote.start):
                turns[-1].append(i)
            else:
                turns.append([i])
        return conversations

    def character_of_token(self, token: Any, chunk: Chunk) -> str | None:
        mention = self.mentions.containing(chunk.offset + token.idx)
        if mention is not None:
            return mention.character
        # The subject of a multi-token name is its head; look at compound children.
        for child in token.children:
            if child.dep_ in ("compound", "flat"):
                mention = self.mentions.containing(chunk.offset + child.idx)
                if mention is not None:
                    return mention.character
        return self._named(token)

    def _named(self, token: Any) -> str | None:
        """A capitalised tag subject that character finding left without a mention ("Babs said,"
        with "Babs" parsed as a common noun, "Mrs.⏎Ford" across a line break): its words, line
        breaks read as spaces, equal to one character's name or alias."""
        if not token.text[:1].isupper() or token.pos_ == "PRON":
            return None
        words = [t for t in token.subtree if t.i <= token.i and (t.i == token.i or t.dep_ in ("compound", "flat"))]
        for start in range(len(words)):
            key = " ".join(t.text for t in words[start:])
            owner = self.names.get(key)
            if owner:
                return owner
        return None

    def _names(self) -> dict[str, str]:
        """Capitalised names and aliases that belong to exactly one character."""
        owners: dict[str, set[str]] = {}
        for cid, character in self.characters.items():
            for alias in (character.name, *character.aliases):
                key = " ".join(alias.split())
                if key[:1].isupper() and key.lower() not in GENERIC_ADDRESS and not key.lower().startswith("the "):
                    owners.setdefault(key, set()).add(cid)
        return {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}

    def kin_of(self, token: Any, chunk: Chunk, addressees: list[str] | tuple[str, ...] = ()) -> str | None:
        """ "her father" / "Emma's sister": the relative of a known possessor.

        In `"Another time, Lizzy," said her mother` the "her" is the girl spoken to: a possessive
        pronoun in a tag is first read as the quote's addressee of that gender, then as
        coreference has it."""
        if token.lower_ not in KIN_TERMS:
            return None
        possessor = next((c for c in token.children if c.dep_ == "poss"), None)
        if possessor is None:
            return None
        owners: list[str | None] = [a for a in addressees if self.gender(a) == POSSESSIVE_GENDER.get(possessor.lower_)]
        owners.append(self.character_of_token(possessor, chunk))
        kb_index = self.analysis.layers.kb_index
        for owner in owners:
            if owner is None or owner not in self.characters:
                continue
            kb_character = kb_index.character(self.characters[owner].name) if kb_index else None
            relative = resolve_kin(self.characters[owner], token.lower_, self.characters.values(), kb_character)
            if relative is not None:
                return relative.id
        return None

    def speaker_of(self, token: Any, chunk: Chunk, addressees: list[str] | tuple[str, ...] = ()) -> str | None:
        """The character a tag's subject names: by mention or name, as a relative, or by description."""
        return (
            self.character_of_token(token, chunk)
            or self.kin_of(token, chunk, addressees)
            or self.roles.described(token)
        )

    def gender(self, cid: str) -> str:
        character: Character | None = self.characters.get(cid)
        return character.gender if character is not None else "unknown"

    def sentence_subject(self, chunk: Chunk, tokens: list[Any], nearest_last: bool = False) -> str | None:
        """The first character-subject among `tokens` (the last one, when `nearest_last`)."""
        for token in reversed(tokens) if nearest_last else tokens:
            if token.dep_ in SUBJECT_DEPS:
                character = self.character_of_token(token, chunk)
                if character:
                    return character
        return None

    def vocatives(self, quote: Quote) -> list[str]:
        """The characters a quote addresses: by name, or by an epithet only they are called."""
        named = [m.character for m in vocative_mentions(self.text, quote, self.mentions.within(quote.start, quote.end))]
        for word in vocative_epithets(self.text, quote):
            owner = self.epithets.get(word)
            if owner:
                named.append(owner)
        return list(dict.fromkeys(named))

    def address_gender(self, quote: Quote) -> str | None:
        return address_gender(self.text, quote)

    def _epithets(self) -> dict[str, str]:
        """Common words that call one particular character ("scavenger" for Rey): the knowledge
        base's one-word weak aliases and a character's lower-case aliases. Names are not
        epithets (they are mentions already), and a word two characters share says nothing."""
        kb_characters = self.analysis.layers.kb_characters
        owners: dict[str, set[str]] = {}
        for cid, character in self.characters.items():
            kb = kb_characters.get(cid)
            words = [a for a in character.aliases if a.islower()] + (kb.weak_aliases if kb is not None else [])
            for word in words:
                if word.isalpha() and word.lower() not in GENERIC_ADDRESS:
                    owners.setdefault(word.lower(), set()).add(cid)
        return {word: next(iter(ids)) for word, ids in owners.items() if len(ids) == 1}
