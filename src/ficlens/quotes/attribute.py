"""Pipeline component: who speaks each quotation, and to whom (a sieve, see docs/quotes.md).

Sieves run from most to least certain, each only on quotes still without a speaker:

1. explicit / anaphoric tag — a speech verb next to the quote whose subject is a character
   mention: `"…," Rey retorted`, `said Rey`, `Kylo roared, "…"`, `"…" he whispered` (the pronoun
   was already resolved by coref), `You asked` (the Reader);
2. continuation — a quote that follows its own speaker's tag with nothing else between
   (`"…," she said. "…"`) has the same speaker;
3. action beat — the character who is the subject of the narration sentence right before (or,
   for a quote opening a paragraph, right after) the quote;
4. turn-taking — in a run of quotes between two people, speakers alternate;
5. nearest character — the last character mentioned before the quote who is not its addressee.

Vocatives (`"Okay, Kylo. I'll leave."`) name an addressee, who is then never the speaker.
Flattened text without paragraph breaks still works: every sieve reads sentences and tokens,
with paragraph breaks only as an extra boundary when they exist.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..analysis import Analysis
from ..characters.descriptions import (
    TITLE_HOLDER_CHARS,
    SceneRoles,
    cast_character,
    description_key,
    unique_descriptions,
)
from ..characters.find import NARRATOR_ID, READER_ID
from ..characters.kinship import KIN_TERMS, resolve_kin
from ..component import component
from ..model import Character, Mention, Quote, id_slug
from ..speech import CORE_SPEECH_VERBS, PHRASAL_SPEECH, SPEECH_NOUNS, SPEECH_PAST_FORMS, SPEECH_VERBS
from .turns import TurnEvidence, decode_turns

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
GENDERED_PRONOUNS = {"he": "male", "she": "female"}
POSSESSIVE_GENDER = {"his": "male", "her": "female"}
# Roles that name one particular person in a story when they speak ("said the butler").
SPEAKING_ROLE_NOUNS = {
    "waiter",
    "waitress",
    "barman",
    "bartender",
    "butler",
    "maid",
    "housekeeper",
    "footman",
    "coachman",
    "driver",
    "cabman",
    "porter",
    "nurse",
    "nanny",
    "governess",
    "doctor",
    "surgeon",
    "vicar",
    "rector",
    "curate",
    "priest",
    "clergyman",
    "chaplain",
    "clerk",
    "landlord",
    "landlady",
    "innkeeper",
    "shopkeeper",
    "stationmaster",
    "gardener",
    "cook",
    "valet",
    "page",
    "boatman",
    "guard",
    "sentry",
    "jailer",
    "gaoler",
    "magistrate",
    "judge",
    "captain",
    "sergeant",
    "corporal",
    "lieutenant",
    "colonel",
    "general",
    "stormtrooper",
    "droid",
    "pilot",
    "bishop",
    "abbot",
    "abbess",
    "postman",
    "policeman",
    "constable",
    "inspector",
    "detective",
    "coroner",
    "secretary",
    "receptionist",
    "teacher",
    "headmaster",
    "headmistress",
    "professor",
    "chauffeur",
    "conductor",
    # trades and offices of nineteenth- and twentieth-century fiction
    "croupier",
    "officer",
    "keeper",
    "turnkey",
    "warder",
    "warden",
    "parlourmaid",
    "parlormaid",
    "housemaid",
    "chambermaid",
    "nursemaid",
    "kitchenmaid",
    "solicitor",
    "lawyer",
    "attorney",
    "barrister",
    "notary",
    "apothecary",
    "chemist",
    "druggist",
    "physician",
    "dentist",
    "midwife",
    "tinker",
    "pedlar",
    "peddler",
    "hawker",
    "servant",
    "lackey",
    "lacquey",
    "gamekeeper",
    "attendant",
    "watchman",
    "beadle",
    "matron",
    "undertaker",
    "usher",
    "messenger",
    "steward",
    "stewardess",
    "commissionaire",
    "superintendent",
    "cashier",
    "proprietor",
    "proprietress",
    "concierge",
    "doorkeeper",
    "doorman",
    "janitor",
    "caretaker",
    "groom",
    "ostler",
    "hostler",
    "sexton",
    "verger",
    "bailiff",
    "hangman",
    "schoolmaster",
    "schoolmistress",
    "tutor",
    "laundress",
    "milkman",
    "baker",
    "butcher",
    "grocer",
    "tailor",
    "dressmaker",
    "milliner",
    "hairdresser",
    "barber",
    "minister",
    "pastor",
    "parson",
    "deacon",
    "archdeacon",
    "interpreter",
    "cabby",
    "ferryman",
    "fisherman",
    "shepherd",
    "ploughman",
    "carter",
    "woodcutter",
    "miller",
    "blacksmith",
    "carpenter",
    "mason",
    "skipper",
    "purser",
    "boatswain",
    "bosun",
    "helmsman",
    "official",
    "manager",
    "foreman",
    "overseer",
}
# A lower-case word set off as a vocative ("Don't you understand, scavenger?", "Hush, my sweet.").
VOCATIVE_EPITHET = re.compile(r"(?:,|[“\"‘'])\s*(?:my |you |little |dear )?([a-z]+)\s*[,.!?]")
# Forms of address anyone may be called: never evidence of who is addressed.
GENERIC_ADDRESS = {
    "sir",
    "madam",
    "ma'am",
    "miss",
    "mister",
    "dear",
    "darling",
    "love",
    "honey",
    "sweetheart",
    "boy",
    "girl",
    "man",
    "woman",
    "child",
    "kid",
    "friend",
    "mate",
    "lady",
    "lord",
    "master",
}
# Words that may precede a name in direct address: "my dear Mr. Bennet", "oh, Kylo".
VOCATIVE_LEAD = {
    "my",
    "dear",
    "dearest",
    "oh",
    "o",
    "ah",
    "well",
    "poor",
    "good",
    "sweet",
    "darling",
    "little",
    "old",
    "hello",
    "hey",
    "hi",
    "yes",
    "no",
    "now",
    "come",
    "thank",
    "thanks",
    "you",
    "goodbye",
    "bye",
}
# Words of address that tell the addressee's gender.
GENDERED_ADDRESS = {
    "sir": "male",
    "madam": "female",
    "ma'am": "female",
    "mister": "male",
    "miss": "female",
    "papa": "male",
    "mama": "female",
    "mamma": "female",
    "father": "male",
    "mother": "female",
    "uncle": "male",
    "aunt": "female",
    "my lord": "male",
    "my lady": "female",
    "my boy": "male",
    "my girl": "female",
    "sonny": "male",
    "missus": "female",
    "madame": "female",
    "monsieur": "male",
}
GENDERED_ADDRESS_PATTERN = re.compile(
    r"(?:,|[“\"‘'])\s*(?:(?:yes|no|thank you|thanks|oh|well|please|dear|my dear),?\s+)?("
    + "|".join(sorted(map(re.escape, GENDERED_ADDRESS), key=len, reverse=True))
    + r")\s*[,.!?;—-]",
    re.IGNORECASE,
)
MAX_TAG_TOKENS = 14
# Sieves whose speaker a conversation's turn-taking never overrules.
FIRM_METHODS = {"explicit", "anaphoric", "continuation"}
# The narration before a conversation whose characters may take part in it, and how many take part.
SCENE_CHARS = 1000
MAX_PARTICIPANTS = 6
MAX_VERB_DISTANCE = 6  # tokens between the quote and its speech verb
CONVERSATION_GAP_CHARS = 400
# Narration right before a conversation that sets its scene ("Mara and Tobias sat by the fire."):
# a character named there takes part. Names further back mostly belong to other scenes.
SCENE_SETTING_CHARS = 150
FIRST_PERSON = {"i", "me", "my", "mine", "myself"}
SECOND_PERSON = {"you", "your", "yours", "yourself"}
# One-paragraph-a-line text hardly ever starts a line in lower case; one-sentence-a-line text does.
LOWERCASE_LINE_SHARE = 0.02
BLANK_LINE = re.compile(r"\n[ \t]*\n")
# "said Mr. Bumble" does not end a sentence.
TITLE_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Dr|St|Messrs|Mme|Mlle|Prof|Rev|Col|Capt|Gen|Sr|Jr)\.")


@dataclass
class Attribution:
    speaker: str | None = None
    confidence: float = 0.0
    method: str = ""
    addressees: list[str] = field(default_factory=list)


class _Tag(NamedTuple):
    """A speech tag: who it names (if anyone), how, its verb and the word naming the speaker."""

    speaker: str | None
    method: str
    verb: object
    subject: object


class _MentionIndex:
    """Which character a character offset belongs to (names and resolved pronouns)."""

    def __init__(self, mentions: list[Mention]):
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]

    def at(self, offset: int) -> Mention | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.mentions[i].start <= offset < self.mentions[i].end:
            return self.mentions[i]
        return None

    def between(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            out.append(self.mentions[i])
            i += 1
        return out


class _Tokens:
    """Token lookup by character offset across the parsed chunks."""

    def __init__(self, chunks):
        self.chunks = chunks
        self.chunk_starts = [c.offset for c in chunks]
        self.token_starts = [[c.offset + t.idx for t in c.doc] for c in chunks]

    def locate(self, offset: int):
        """(chunk, token index) of the token containing or following `offset`."""
        ci = bisect.bisect_right(self.chunk_starts, offset) - 1
        if ci < 0:
            return None
        starts = self.token_starts[ci]
        ti = bisect.bisect_right(starts, offset) - 1
        if ti < 0:
            ti = 0
        if ti >= len(starts):
            return None
        return ci, ti


def is_speech_verb(token) -> bool:
    """A verb that introduces speech here: a speech verb, or a phrasal one with its particle."""
    lemma = token.lemma_.lower()
    if token.pos_ not in ("VERB", "AUX") or lemma not in SPEECH_VERBS:
        return False
    particles = PHRASAL_SPEECH.get(lemma)
    if particles is None:
        return True
    following = token.doc[token.i + 1 : token.i + 2]
    return bool(following) and following[0].lower_ in particles


def _addressee_tokens(verb):
    """Who a speech verb is addressed to: "told Rey" (object), "said to her aunt" (to-phrase)."""
    for child in verb.children:
        if child.dep_ in ("dative", "dobj"):
            yield child
        elif child.dep_ == "prep" and child.lower_ == "to":
            yield from (c for c in child.children if c.dep_ == "pobj")


def vocative_mentions(text: str, quote: Quote, mentions: list[Mention]) -> list[Mention]:
    """Name mentions inside a quote that address someone: set off by commas, or opening or
    closing the quote ("Okay, Kylo." / "Kylo, wait!" / "…, Rey?")."""
    found = []
    for mention in mentions:
        if mention.kind != "name" or not (quote.start <= mention.start < quote.end):
            continue
        # "My dear Mr. Bennet," / "Oh, Kylo!": words of address may stand between the
        # boundary and the name.
        lead = re.search(r"[,“\"‘']([\w\s]*)$", text[max(quote.start, mention.start - 40) : mention.start])
        bounded = lead is not None and all(w in VOCATIVE_LEAD for w in lead.group(1).lower().split())
        after = text[mention.end : mention.end + 2]
        opens_quote = text[quote.start : mention.start].strip(" “\"‘'") == ""
        if (bounded or opens_quote) and re.match(r"\s*[,.!?”\"’']", after):
            found.append(mention)
    return found


def break_between(breaks: list[int], start: int, end: int) -> bool:
    """Whether a paragraph break (from `paragraph_breaks`) lies in [start, end)."""
    i = bisect.bisect_left(breaks, start)
    return i < len(breaks) and breaks[i] < end


def paragraph_breaks(text: str) -> list[int]:
    """Offsets of paragraph breaks: blank lines, or single newlines in text that has no blank
    lines at all (one paragraph a line). Wrapped lines inside a paragraph are not breaks, and
    neither are the newlines of one-sentence-a-line text (tokenised corpora such as LitBank):
    there lines often start in lower case ("…"⏎he asked .), which a paragraph never does."""
    blanks = [m.start() for m in BLANK_LINE.finditer(text)]
    if blanks or text.count("\n") < 3:
        return blanks
    newlines = [m.start() for m in re.finditer("\n", text)]
    lower = sum(1 for m in re.finditer(r"\n[ \t]*[a-z]", text))
    return [] if lower > LOWERCASE_LINE_SHARE * len(newlines) else newlines


class _Attributor:
    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.text = analysis.work.text
        self.quotes: list[Quote] = analysis.profile.quotes
        self.characters = {c.id: c for c in analysis.profile.characters}
        self.mentions = _MentionIndex(analysis.profile.mentions)
        self.tokens = _Tokens(analysis.layers.chunks)
        self.breaks = paragraph_breaks(self.text)
        self.pov = analysis.profile.narration.pov
        self.epithets = self._epithets()
        self.descriptions = self._descriptions()
        self.names = self._names()
        self.role_mentions: set[int] = set()  # starts of the nominal mentions _role_speaker added
        self.scene_roles = SceneRoles({cid: [c.name, *c.aliases] for cid, c in self.characters.items()})

    # --- helpers -------------------------------------------------------------------------
    def _break_between(self, start: int, end: int) -> bool:
        return break_between(self.breaks, start, end)

    def _character_of_token(self, token, chunk) -> str | None:
        mention = self.mentions.at(chunk.offset + token.idx)
        if mention is not None:
            return mention.character
        # The subject of a multi-token name is its head; look at compound children.
        for child in token.children:
            if child.dep_ in ("compound", "flat"):
                mention = self.mentions.at(chunk.offset + child.idx)
                if mention is not None:
                    return mention.character
        return self._named(token)

    def _named(self, token) -> str | None:
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

    def _role_speaker(self, token, chunk) -> str | None:
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
        role = token.lemma_.lower() if token.lemma_.lower() in SPEAKING_ROLE_NOUNS else self._distinguished(token, det)
        if role is None:
            return None
        start = chunk.offset + (det.idx if det is not None else token.idx)
        names = [m for m in self.mentions.between(max(0, start - TITLE_HOLDER_CHARS), start) if m.kind == "name"]
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

    @staticmethod
    def _distinguished(token, det) -> str | None:
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
            if obj_det is not None and obj_det.lower_ == "the":
                words = [token.lower_, prep.lower_, *(t.lower_ for t in obj.subtree if t.i <= obj.i)]
                return " ".join(words)
        return None

    def _described(self, token) -> str | None:
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
        entries = [
            (cid, (c.name, *c.aliases, *(getattr(merged_through.get(cid), "aliases", None) or ())))
            for cid, c in self.characters.items()
        ]
        entries += [
            (entry, (entry.name, *entry.aliases)) for entry in self.analysis.resources.cast if entry.name not in names
        ]
        return unique_descriptions(entries)

    def _cast_character(self, entry) -> str:
        """The character for a cast entry, added to the profile the first time it speaks."""
        character = cast_character(entry)
        if character.id not in self.characters:
            self.characters[character.id] = character
            self.analysis.profile.characters.append(character)
        return character.id

    def _kin_of(self, token, chunk, addressees: Sequence[str] = ()) -> str | None:
        """ "her father" / "Emma's sister": the relative of a known possessor.

        In `"Another time, Lizzy," said her mother` the "her" is the girl spoken to: a possessive
        pronoun in a tag is first read as the quote's addressee of that gender, then as
        coreference has it."""
        if token.lower_ not in KIN_TERMS:
            return None
        possessor = next((c for c in token.children if c.dep_ == "poss"), None)
        if possessor is None:
            return None
        owners = [a for a in addressees if self._gender(a) == POSSESSIVE_GENDER.get(possessor.lower_)]
        owners.append(self._character_of_token(possessor, chunk))
        kb_index = self.analysis.layers.kb_index
        for owner in owners:
            if owner is None or owner not in self.characters:
                continue
            kb_character = kb_index.character(self.characters[owner].name) if kb_index else None
            relative = resolve_kin(self.characters[owner], token.lower_, self.characters.values(), kb_character)
            if relative is not None:
                return relative.id
        return None

    def _tag_speaker(self, chunk, tokens, after: bool = True, addressees: Sequence[str] = ()) -> "_Tag":
        """Speaker named by a speech-verb tag among `tokens`.

        The verb must sit close to the quote ("…," Mr. Elton warmly added / Emma exclaimed, "…"):
        a speech verb further off belongs to some other clause ("that Emma began to consider").
        """
        region = {t.i for t in tokens}
        for position, token in enumerate(tokens):
            distance = position if after else len(tokens) - 1 - position
            if distance > MAX_VERB_DISTANCE:
                continue
            if token.lemma_.lower() in SPEECH_NOUNS and token.pos_ == "NOUN":
                speaker = self._possessed_speech(token, chunk, tokens[:position])
                if speaker:
                    return _Tag(speaker, "explicit", token, None)
            parsed = is_speech_verb(token)
            if not parsed and token.lower_ not in SPEECH_PAST_FORMS:
                continue
            # The parser sometimes takes a name inside the quote for the verb's subject
            # ("Really, Mr. Collins," cried Elizabeth): only the tag's own words can be it.
            # A mis-tagged verb ("sneered" as an adjective) has no usable dependents at all.
            subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS and c.i in region] if parsed else []
            # "…looked at Ben, who said, "…"": the relative pronoun stands for the noun it follows.
            subjects = [token.head if c.lower_ in ("who", "that") and token.dep_ == "relcl" else c for c in subjects]
            for subject in subjects:
                character = (
                    self._character_of_token(subject, chunk)
                    or self._kin_of(subject, chunk, addressees)
                    or self._described(subject)
                )
                if character:
                    method = "anaphoric" if subject.pos_ in ("PRON", "NOUN") else "explicit"
                    return _Tag(character, method, token, subject)
            for subject in subjects:
                role = self._role_speaker(subject, chunk)
                if role:
                    return _Tag(role, "anaphoric", token, subject)
            if subjects:
                return _Tag(None, "nominal", token, subjects[0])
            before = token.doc[token.i - 1] if token.i - 1 in region else None
            if before is not None and before.dep_ == "aux" and before.head.i == token.i and before.text[:1].isupper():
                # "May said" / "Will answered": a name the parser read as a modal of the verb.
                character = self._character_of_token(before, chunk)
                if character:
                    return _Tag(character, "explicit", token, before)
            # "…," replied Harriet / said the gallant Mr. Elton: the parser often misses the
            # inverted subject; take the first character named right after the verb.
            for follower in token.doc[token.i + 1 : token.i + 8]:
                if follower.text in (".", "!", "?", ";", '"', "“", "”") or follower.lower_ == "to":
                    break  # "said to Marilla": the addressee, not an inverted subject
                if follower.dep_ == "poss":  # "rejoined his companion": not "he"
                    kin = self._kin_of(follower.head, chunk, addressees)
                    return _Tag(kin, "anaphoric", token, follower.head) if kin else _Tag(None, "nominal", token, None)
                character = (
                    self._character_of_token(follower, chunk)
                    or self._kin_of(follower, chunk, addressees)
                    or self._described(follower)
                )
                if character:
                    return _Tag(character, "anaphoric" if follower.pos_ == "PRON" else "explicit", token, follower)
                if follower.head.i == token.i and follower.dep_ == "dobj":  # "replied the officer", parsed as an object
                    role = self._role_speaker(follower, chunk)
                    if role:
                        return _Tag(role, "anaphoric", token, follower)
            if parsed and not any(c.dep_ in SUBJECT_DEPS for c in token.children):
                # "Milly said," with the name mis-parsed as a modifier, or a subject shared
                # with the clause the verb hangs from ("a page came to their table to say,").
                previous = (
                    [token.doc[token.i - 1]] if token.i - 1 in region and token.doc[token.i - 1].pos_ == "PROPN" else []
                )
                for subject in previous + self._shared_subject(token, chunk):
                    character = (
                        self._character_of_token(subject, chunk)
                        or self._kin_of(subject, chunk, addressees)
                        or self._described(subject)
                        or self._role_speaker(subject, chunk)
                    )
                    if character:
                        return _Tag(
                            character, "anaphoric" if subject.pos_ in ("PRON", "NOUN") else "explicit", token, subject
                        )
            if not parsed and token.i > 0 and token.i - 1 in region:  # "…," Oakley sneered.
                character = self._character_of_token(token.doc[token.i - 1], chunk)
                if character:
                    return _Tag(character, "explicit", token, token.doc[token.i - 1])
        return _Tag(None, "", None, None)

    def _shared_subject(self, verb, chunk) -> list:
        """The subject a subjectless speech verb shares with the verb it hangs from ("Matthew
        opened his eyes and said decidedly:", "Mr. Beebe ventured to say:", "Lucy rose to her
        feet, exclaiming:") — in narration, never a word inside a quotation."""
        inside = self.analysis.layers.quote_index
        head = verb
        while head.dep_ in ("conj", "xcomp", "advcl") and head.head is not head:
            head = head.head
            subjects = [c for c in head.children if c.dep_ in SUBJECT_DEPS]
            if subjects:
                return [
                    c
                    for c in subjects
                    if c.i < verb.i
                    and chunk.offset + c.idx not in inside
                    and not self._break_between(chunk.offset + c.idx, chunk.offset + verb.idx)
                ]
        return []

    def _detached(self, quote: Quote, after) -> bool:
        """Whether the words after a quote start a new sentence or clause rather than tag it
        ("…." Kylo growled / "…"; and Tibby implored)."""
        closing = self.text[max(quote.start, quote.end - 3) : quote.end]
        first = after[0]
        return (
            bool(re.search(r"[.!?]", closing) and first.text[:1].isupper())
            or first.text in (";", ":")
            or first.lower_ in ("and", "but")
        )

    def _possessed_speech(self, noun, chunk, before) -> str | None:
        """ "…," was Frank's reply: the possessor of a speech noun that follows the copula."""
        if not any(t.lemma_ == "be" for t in before):
            return None
        possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
        return self._character_of_token(possessor, chunk) if possessor is not None else None

    def _region_after(self, quote: Quote, next_start: int):
        loc = self.tokens.locate(quote.end)
        if loc is None:
            return None, []
        ci, ti = loc
        chunk = self.tokens.chunks[ci]
        out = []
        for token in chunk.doc[ti:]:
            offset = chunk.offset + token.idx
            if offset < quote.end:
                continue
            if offset >= next_start or len(out) >= MAX_TAG_TOKENS or self._break_between(quote.end, offset):
                break
            out.append(token)
            if token.text in (".", "!", "?", ";") and len(out) > 1:
                break
        return chunk, out

    def _region_before(self, quote: Quote, prev_end: int):
        loc = self.tokens.locate(quote.start)
        if loc is None:
            return None, []
        ci, ti = loc
        chunk = self.tokens.chunks[ci]
        out = []
        i = ti - 1
        # A tag may end the paragraph before its quote ("Emma exclaimed,\n\n"What…"): cross one
        # break when the text before it ends like an introduction, or with no punctuation at all
        # (a dash lost in conversion: "Syme said with dignity \n\n"…").
        boundary = quote.start
        window_start = max(0, quote.start - 200)
        lead = self.text[window_start : quote.start].rstrip()
        lead_end = window_start + len(lead)
        if (lead.endswith((",", ":", "--", "—")) or lead[-1:].isalpha()) and self._break_between(lead_end, quote.start):
            boundary = lead_end
        while i >= 0 and len(out) < MAX_TAG_TOKENS:
            token = chunk.doc[i]
            offset = chunk.offset + token.idx
            if offset < prev_end or self._break_between(offset, boundary):
                break
            if token.text in (".", "!", "?") and out:
                break
            out.append(token)
            i -= 1
        out.reverse()
        return chunk, out

    def _sentence_subject(self, chunk, tokens, nearest_last: bool = False) -> str | None:
        """The first character-subject among `tokens` (the last one, when `nearest_last`)."""
        for token in reversed(tokens) if nearest_last else tokens:
            if token.dep_ in SUBJECT_DEPS:
                character = self._character_of_token(token, chunk)
                if character:
                    return character
        return None

    def _vocatives(self, quote: Quote) -> list[str]:
        named = [
            m.character for m in vocative_mentions(self.text, quote, self.mentions.between(quote.start, quote.end))
        ]
        for match in VOCATIVE_EPITHET.finditer(self.text, quote.start, quote.end):
            owner = self.epithets.get(match.group(1).lower())
            if owner:
                named.append(owner)
        return list(dict.fromkeys(named))

    def _address_gender(self, quote: Quote) -> str | None:
        """ "Thank you, sir." / "Yes, mama": the gender of whoever the quote addresses."""
        match = GENDERED_ADDRESS_PATTERN.search(self.text, quote.start, quote.end)
        return GENDERED_ADDRESS[match.group(1).lower()] if match else None

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

    # --- sieves ----------------------------------------------------------------------------
    def run(self) -> list[Attribution]:
        quotes = self.quotes
        results = [Attribution() for _ in quotes]
        for i, quote in enumerate(quotes):
            results[i].addressees = self._vocatives(quote)
        tag_end: dict[int, int] = {}
        conversations = self._conversations()
        conversation_start = {i: turns[0][0] for turns in conversations for turn in turns for i in turn}
        # 1. explicit and anaphoric tags. A tag that starts a new sentence after a quote closed
        # by a full stop ("…." Kylo growled in response) is weaker: it may be a reaction.
        weak: set[int] = set()
        pronoun_genders: dict[int, str] = {}  # quotes tagged "he/she said"
        for i, quote in enumerate(quotes):
            next_start = quotes[i + 1].start if i + 1 < len(quotes) else len(self.text)
            prev_end = quotes[i - 1].end if i > 0 else 0
            chunk, after = self._region_after(quote, next_start)
            tag = (
                self._tag_speaker(chunk, after, addressees=results[i].addressees)
                if chunk
                else _Tag(None, "", None, None)
            )
            detached = False
            if tag.verb is not None:
                tag_end[i] = chunk.offset + after[-1].idx + len(after[-1].text)
                detached = self._detached(quote, after)
                if detached and tag.verb.lemma_ not in CORE_SPEECH_VERBS:
                    weak.add(i)
            # A tag introducing the quote ("Helen said to her aunt: "…"; and Tibby implored…")
            # beats one in a new sentence or clause after it.
            if (not tag.speaker and tag.method != "nominal") or detached:
                chunk_b, before = self._region_before(quote, prev_end)
                while before and before[-1].is_space:  # a tag ending the paragraph before
                    before = before[:-1]
                # Lead-in punctuation, or none at all where a dash was lost ("Syme said with dignity ⏎⏎"…")
                if chunk_b and before and (before[-1].text in (",", ":", "—", "-", "--") or not before[-1].is_punct):
                    # A tag between two halves of one speech ("…, Lizzy," said her mother, "…")
                    # speaks to whom the first half does.
                    spoken_to = results[i].addressees + (results[i - 1].addressees if i - 1 in tag_end else [])
                    found = self._tag_speaker(chunk_b, before, after=False, addressees=spoken_to)
                    if found.speaker or not tag.speaker:
                        tag, chunk = found, chunk_b
            speaker, method, verb = tag.speaker, tag.method, tag.verb
            if tag.subject is not None and tag.subject.lower_ in GENDERED_PRONOUNS:
                # Also a pronoun coreference left unresolved: "…," she said.
                gender = GENDERED_PRONOUNS[tag.subject.lower_]
                pronoun_genders[i] = gender
                speaker = self._in_conversation(i, speaker, gender, results, conversation_start[i])
                if speaker:
                    method = method if tag.speaker else "anaphoric"
                    speaker = self._reconsider_pronoun(i, speaker, gender, results)
            if speaker and speaker not in results[i].addressees:
                results[i].speaker, results[i].method = speaker, method
                results[i].confidence = 0.95 if method == "explicit" else 0.85
                if verb is not None:
                    results[i].addressees += [
                        c
                        for c in (self._character_of_token(t, chunk) for t in _addressee_tokens(verb))
                        if c and c != speaker and c not in results[i].addressees
                    ]
        # 2. continuation: the same speaker goes on after their own tag sentence.
        for i in range(1, len(quotes)):
            if (results[i].speaker and i not in weak) or not results[i - 1].speaker or i - 1 not in tag_end:
                continue
            gap = TITLE_ABBREVIATION.sub("", self.text[quotes[i - 1].end : quotes[i].start].strip())
            one_sentence = not re.search(r"[.!?…]\s+\S", gap)
            if one_sentence and not self._break_between(quotes[i - 1].end, quotes[i].start):
                self._set(results[i], results[i - 1].speaker, 0.8, "continuation")
        # 3. action beats.
        for i, quote in enumerate(quotes):
            if results[i].speaker:
                continue
            prev_end = quotes[i - 1].end if i > 0 else 0
            next_start = quotes[i + 1].start if i + 1 < len(quotes) else len(self.text)
            chunk, before = self._region_before(quote, prev_end)
            speaker = self._sentence_subject(chunk, before, nearest_last=True) if chunk else None
            if not speaker:
                chunk, after = self._region_after(quote, next_start)
                opens_paragraph = self._break_between(max(0, quote.start - 3), quote.start + 1) or quote.start == 0
                if chunk and (opens_paragraph or not before):
                    speaker = self._sentence_subject(chunk, after)
            if speaker and speaker not in results[i].addressees:
                self._set(results[i], speaker, 0.6, "beat")
        # 4. turn-taking inside each conversation, anchored on the turns already known.
        for conversation in conversations:
            self._decode(conversation, results, pronoun_genders)
        # 5. nearest character named in narration before the quote who is not its addressee.
        quote_index = self.analysis.layers.quote_index
        for i, quote in enumerate(quotes):
            if results[i].speaker:
                continue
            window = self.mentions.between(max(0, quote.start - 600), quote.start)
            for mention in reversed(window):
                if mention.character not in results[i].addressees and mention.start not in quote_index:
                    self._set(results[i], mention.character, 0.3, "nearest")
                    break
        # Addressee of a two-party exchange: the other speaker.
        for i in range(len(quotes)):
            if results[i].addressees or not results[i].speaker:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(quotes) and results[j].speaker and results[j].speaker != results[i].speaker:
                    if abs(quotes[i].start - quotes[j].start) < 2 * CONVERSATION_GAP_CHARS:
                        results[i].addressees = [results[j].speaker]
                        break
        return results

    def _reconsider_pronoun(self, i: int, speaker: str, gender: str, results: list[Attribution]) -> str:
        """ "…," said she — in a new turn, "she" is rarely whoever spoke the previous turn.

        Coreference picks the most salient woman, often the one who just spoke; if another woman
        is in the conversation (spoke the turn before, or was addressed by name), she answers.
        (Overriding coreference whenever it names someone outside the conversation was tried
        and lost more quotes than it won on PDNC.)
        """
        if i == 0:
            return speaker
        prev = results[i - 1]
        quote, prev_quote = self.quotes[i], self.quotes[i - 1]
        if prev.speaker != speaker or quote.start - prev_quote.end > CONVERSATION_GAP_CHARS:
            return speaker
        if self.breaks and not self._break_between(prev_quote.end, quote.start):
            return speaker  # same paragraph: the same speaker going on
        others = [a for a in prev.addressees if a != speaker]
        if i >= 2 and results[i - 2].speaker and results[i - 2].speaker != speaker:
            others.insert(0, results[i - 2].speaker)
        return next((o for o in others if self._gender(o) == gender), speaker)

    def _in_conversation(
        self, i: int, speaker: str | None, gender: str, results: list[Attribution], first: int
    ) -> str | None:
        """ "…," he said — when coreference names someone who takes no part in the conversation
        (neither spoke, nor was addressed, nor named in the narration around it), the one
        participant of that gender is meant."""
        quote = self.quotes[i]
        participants = [c for j in range(first, i) for c in (results[j].speaker, *results[j].addressees) if c]
        quote_index = self.analysis.layers.quote_index
        window = self.mentions.between(max(0, self.quotes[first].start - SCENE_SETTING_CHARS), quote.start)
        participants += [m.character for m in window if m.kind == "name" and m.start not in quote_index]
        if speaker in participants:
            return speaker
        candidates = {c for c in participants if self._gender(c) == gender and c not in results[i].addressees}
        return candidates.pop() if len(candidates) == 1 else speaker

    def _gender(self, cid: str) -> str:
        character = self.characters.get(cid)
        return character.gender if character is not None else "unknown"

    def _conversations(self) -> list[list[list[int]]]:
        """Quotes grouped into conversations (runs with little narration between), each a list
        of turns (quotes of one paragraph, or of one tag-less stretch in flattened text)."""
        conversations: list[list[list[int]]] = []
        for i, quote in enumerate(self.quotes):
            if i == 0 or quote.start - self.quotes[i - 1].end > CONVERSATION_GAP_CHARS:
                conversations.append([[i]])
                continue
            turns = conversations[-1]
            if self.breaks and not self._break_between(self.quotes[i - 1].end, quote.start):
                turns[-1].append(i)
            else:
                turns.append([i])
        return conversations

    def _decode(self, turns: list[list[int]], results: list[Attribution], pronoun_genders: dict[int, str]) -> None:
        """Speakers for a conversation's untagged turns from the best reading of the whole
        exchange (quotes/turns.py); a paragraph's quotes share its speaker."""
        evidence: list[TurnEvidence] = []
        for turn in turns:
            best = max((i for i in turn if results[i].speaker), key=lambda i: results[i].confidence, default=None)
            ev = TurnEvidence()
            if best is not None:
                ev.known = results[best].speaker
                # coreference's choice for "he said" is a guess the exchange may overrule
                ev.firm = results[best].method in FIRM_METHODS and best not in pronoun_genders
                for i in turn:  # a paragraph is one turn
                    if not results[i].speaker and ev.known not in results[i].addressees:
                        self._set(results[i], ev.known, 0.55, "paragraph")
            evidence.append(ev)
        if all(ev.known and ev.firm for ev in evidence):
            return
        for t, (turn, ev) in enumerate(zip(turns, evidence)):
            ev.addressed = {a for i in turn for a in results[i].addressees}
            ev.named = {
                m.character
                for i in turn
                for m in self.mentions.between(self.quotes[i].start, self.quotes[i].end)
                if m.kind == "name"
            } - ev.addressed
            ev.gender = next((pronoun_genders[i] for i in turn if i in pronoun_genders), None)
            ev.addressed_gender = next((g for i in turn if (g := self._address_gender(self.quotes[i]))), None)
            if t:
                ev.gap = self._gap_kind(self.quotes[turn[0] - 1].end, self.quotes[turn[0]].start)
            if ev.gap == "narration" or not t:
                ev.narrated = self._narration_subject(self.quotes[turn[0]].start)
        salience = self._participants(turns, results)
        speakers = decode_turns(evidence, salience, {c: self._gender(c) for c in salience})
        for turn, ev, speaker in zip(turns, evidence, speakers):
            if speaker is None:
                continue
            for i in turn:
                open_or_guess = results[i].speaker is None or (results[i].speaker != speaker and not ev.firm)
                if open_or_guess and speaker not in results[i].addressees:
                    self._set(results[i], speaker, 0.5, "turn")

    def _narration_subject(self, quote_start: int) -> str | None:
        """The character who is the subject of the last narration sentence before a quote
        ("Helen, looking very pale, ran out to meet her aunt.⏎⏎"Aunt Juley, …"): often, not
        always, the one who speaks next."""
        window_start = max(0, quote_start - 200)
        end = window_start + len(self.text[window_start:quote_start].rstrip(" \t\r\n\"“‘'"))
        loc = self.tokens.locate(max(0, end - 1))
        if loc is None:
            return None
        chunk = self.tokens.chunks[loc[0]]
        token = chunk.doc[loc[1]]
        if chunk.offset + token.idx in self.analysis.layers.quote_index:
            return None
        return self._sentence_subject(chunk, list(token.sent))

    def _gap_kind(self, start: int, end: int) -> str:
        """What lies between two turns: "bare", "tag" (only the first turn's closing words) or
        "narration" (a paragraph of its own, or words opening the second turn's paragraph)."""
        pieces = [self.text[start:end]]
        if self.breaks:
            cuts = self.breaks[bisect.bisect_left(self.breaks, start) : bisect.bisect_left(self.breaks, end)]
            bounds = [start, *cuts, end]
            pieces = [self.text[a:b] for a, b in zip(bounds, bounds[1:])]
        words = [bool(p.strip(" \t\r\n\"'“”‘’")) for p in pieces]
        if any(words[1:]):
            return "narration"
        return "tag" if words[0] else "bare"

    def _participants(self, turns: list[list[int]], results: list[Attribution]) -> dict[str, float]:
        """Who takes part in a conversation, each with a weight: its known speakers and
        addressees, and the characters named in the narration of the scene around it."""
        weight: dict[str, float] = defaultdict(float)
        for i in (i for turn in turns for i in turn):
            for c in ([results[i].speaker] if results[i].speaker else []) + results[i].addressees:
                weight[c] += 2.0
        first, last = self.quotes[turns[0][0]], self.quotes[turns[-1][-1]]
        quote_index = self.analysis.layers.quote_index
        for mention in self.mentions.between(max(0, first.start - SCENE_CHARS), last.end):
            if mention.start in quote_index:
                continue
            weight[mention.character] += 1.0 if mention.kind == "name" else 0.5
        weight = {c: w for c, w in weight.items() if c in self.characters and self._may_take_part(c)}
        ranked = dict(sorted(weight.items(), key=lambda kv: -kv[1])[:MAX_PARTICIPANTS])
        if len(ranked) < 2:
            known = next(iter(ranked), None)
            other = self._recent_other(first.start, known) if known else None
            if other:
                ranked[other] = 0.5
        return ranked

    def _may_take_part(self, cid: str) -> bool:
        """With a cast given, the scene's people are the cast's: a capitalised word character
        finding took for a name outside the cast ("Nature", "Providence") takes no turn."""
        if not self.analysis.resources.cast or cid in (NARRATOR_ID, READER_ID):
            return True
        return cid in self.analysis.layers.kb_characters or cid.startswith(("cast-", "the-"))

    def _recent_other(self, before: int, exclude: str) -> str | None:
        quote_index = self.analysis.layers.quote_index
        for mention in reversed(self.mentions.between(max(0, before - 1500), before)):
            if mention.character != exclude and mention.start not in quote_index:
                character = self.characters.get(mention.character)
                if character is not None:
                    return mention.character
        return None

    @staticmethod
    def _set(result: Attribution, speaker: str, confidence: float, method: str) -> None:
        result.speaker, result.confidence, result.method = speaker, confidence, method


@component(
    "speakers",
    requires=(
        "chunks",
        "quote_index",
        "kb_index",
        "kb_characters",
        "profile.quotes",
        "profile.characters",
        "profile.mentions",
        "profile.narration",
    ),
    assigns=(
        "profile.quotes.speaker",
        "profile.quotes.addressees",
        "profile.quotes.confidence",
        "profile.quotes.method",
        "profile.characters",
        "profile.mentions",
    ),
)
def attribute_quotes(analysis: Analysis) -> None:
    results = _Attributor(analysis).run()
    for quote, result in zip(analysis.profile.quotes, results):
        quote.speaker = result.speaker
        quote.confidence = result.confidence
        quote.addressees = result.addressees
        quote.method = result.method
    analysis.profile.mentions.sort(key=lambda m: m.start)  # role speakers may have added mentions


@component(
    "quote_pronouns",
    requires=("profile.quotes.speaker", "profile.quotes.addressees", "profile.mentions"),
    assigns=("profile.mentions",),
)
def resolve_quote_pronouns(analysis: Analysis) -> None:
    """Pipeline component: "I/me/my" inside a quote is its speaker, "you" its single addressee.

    Runs after attribution: the speaker is what coreference needed and could not know.
    """
    profile = analysis.profile
    text = analysis.work.text
    taken = {(m.start, m.end) for m in profile.mentions}
    added: list[Mention] = []
    word = re.compile(r"\b(?:I|me|my|mine|myself|you|your|yours|yourself)\b", re.IGNORECASE)
    for quote in profile.quotes:
        if not quote.speaker:
            continue
        addressee = quote.addressees[0] if len(quote.addressees) == 1 else None
        for m in word.finditer(text, quote.start, quote.end):
            span = (m.start(), m.end())
            if span in taken:
                continue
            lower = m.group(0).lower()
            if lower in FIRST_PERSON:
                added.append(Mention(span[0], span[1], quote.speaker, "pronoun"))
            elif addressee and lower in SECOND_PERSON:
                added.append(Mention(span[0], span[1], addressee, "pronoun"))
    if added:
        profile.mentions = sorted(profile.mentions + added, key=lambda m: m.start)
        profile.recount_mentions()
