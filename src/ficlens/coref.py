"""Pipeline component: pronouns → characters (a rule sieve, documented in docs/characters-and-coreference.md).

Narration pronouns of the narrating person go to the narrator: "you" in second-person narration
to the Reader, "I" in first-person narration to the narrator. Third-person pronouns are resolved
left to right against a short discourse history of earlier mentions (names and already resolved
pronouns): candidates must agree in gender, a non-reflexive object pronoun cannot be its own
clause's subject, and among the rest the most salient wins — recent, a subject, often mentioned.
When nothing in the window fits, the same scoring looks further back (the last woman named a page
ago is still the likeliest "she"), and only then does a pronoun fall back to the story's dominant
character of that gender, which is how fan fiction (one "he", one "she") is mostly written.

Dialogue shapes the choice too: a speech-tag pronoun ("…," he said) opening a new turn prefers
the other party of the conversation over whoever spoke last; a pronoun inside dialogue prefers
people the dialogue itself named; and the "you" of a letter's narration is its addressee.

Characters whose gender is unknown after names are read get it from the pronouns that resolve
to them in a first pass; a second pass then resolves again with those genders.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from .analysis import Analysis
from .characters.find import NARRATOR_ID, READER_ID
from .component import component
from .discourse.pronouns import FIRST_PERSON, PRONOUN_GENDER, REFLEXIVE, SECOND_PERSON
from .discourse.speech_tags import name_head
from .discourse.vocatives import vocative_mentions
from .model import Character, Mention
from .spans import SpanIndex


@dataclass(frozen=True)
class CorefSettings:
    """The weights of the salience score (docs/characters-and-coreference.md, step 4) and the
    windows a pronoun's antecedent is looked for in."""

    window_sentences: int = 3  # sentences back an antecedent is first looked for
    fallback_window: int = 12  # … and then, when nothing of the pronoun's gender is that close
    agreement_weight: float = 3.0
    distance_weight: float = 1.0  # per sentence back
    rank_weight: float = 0.15  # per character mentioned more recently
    subject_bonus: float = 0.8
    frequency_weight: float = 0.3  # times log(1 + name mentions)
    dialogue_name_penalty: float = 1.5  # a name said in dialogue, for a pronoun of narration
    reflexive_bonus: float = 2.0
    chain_doubt_weight: float = 1.0  # times (1 − confidence) of a resolved pronoun used as an antecedent
    dialogue_continuity_bonus: float = 1.5  # for a pronoun in dialogue: an antecedent also in dialogue
    turn_penalty: float = 2.0  # a tag pronoun opening a new turn: whoever spoke the previous turn
    turn_bonus: float = 1.5  # … and whoever spoke the turn before that, or was addressed by name in it
    dialogue_sentence_weight: float = 0.34  # sentences of dialogue move the narration on less
    # A character of unknown gender takes the gender of at least this many of its pronouns,
    # when they are at least this share of them.
    min_gender_votes: int = 2
    min_gender_share: float = 0.7


@dataclass
class Entry:
    """One mention in the discourse history."""

    character: str
    sentence: float  # running sentence position over the work (dialogue sentences count less)
    subject: bool
    head: int  # token index of the governing verb (for the binding constraint), -1 if none
    chunk: int
    in_quote: bool = False
    is_name: bool = False
    confidence: float = 1.0  # of the resolution, for a pronoun


def _gender_ok(character: Character, pronoun_gender: str) -> float:
    if character.gender == pronoun_gender:
        return 1.0
    if character.gender == "unknown":
        return 0.35
    return 0.0


SALUTATION_BEFORE = re.compile(
    r"(?:^|\n)[ \t_*]*(?:(?:(?i:my|mine) )?(?:(?i:dear|dearest|darling|beloved)[ ,]+)+(?:(?i:old|little) )?|(?i:to) )$"
)
HEADING_TO = re.compile(r"\bTO (?:THE )?(?:[A-Z]+\.? )?$")  # "LADY HOWARD TO THE REV. MR. VILLARS"
SALUTATION_AFTER = re.compile(r"[ \t_*]*(?:[,:!\n]|--|—)")
CONTINUING_VERBS = {"add", "continue", "go", "resume", "pursue", "proceed", "repeat", "persist"}


def _score(
    entry: Entry,
    rank: int,
    sentence: float,
    character: Character,
    pronoun_gender: str,
    log_counts: dict[str, float],
    settings: CorefSettings,
) -> float:
    agreement = _gender_ok(character, pronoun_gender)
    if agreement == 0.0:
        return -math.inf
    score = settings.agreement_weight * agreement
    score -= settings.distance_weight * (sentence - entry.sentence)
    score -= settings.rank_weight * rank
    score += settings.subject_bonus if entry.subject else 0.0
    score += settings.frequency_weight * log_counts[character.id]
    return score


class _Turns:
    """Who spoke the quotations so far, as far as coreference can tell from their tags.

    Speakers alternate in a conversation, so a tag pronoun opening a new turn ("…," he said) is
    rarely whoever spoke the previous turn and likeliest whoever spoke the turn before it or was
    addressed by name in it, while within one paragraph the speaker goes on. Coreference meets
    the tags (the `speech_tags` layer) before quote attribution runs, so it keeps its own record:
    the character of each name or resolved pronoun that is the subject of a quote's speech tag.
    """

    def __init__(self, analysis: Analysis, names: list[Mention], settings: CorefSettings):
        self.settings = settings
        self.text = analysis.work.text
        self.tags = analysis.layers.speech_tags
        self.gap = self.tags.conversation_gap_chars
        self.paragraphs = analysis.layers.paragraphs
        self.starts = [q.start for q in analysis.profile.quotes]
        self.ends = [q.end for q in analysis.profile.quotes]
        self.speaker: dict[int, str] = {}
        by_start = SpanIndex(names)
        self.addressed: list[set[str]] = [
            {m.character for m in vocative_mentions(self.text, quote, by_start.within(quote.start, quote.end))}
            for quote in analysis.profile.quotes
        ]

    def tagged_quote(self, start: int) -> int | None:
        """The quote whose speech tag has the word at `start` for its subject, if any."""
        return self.tags.subject_quote.get(start)

    def adjustments(self, i: int, verb: Any) -> dict[str, float]:
        """Score changes for the candidates of the tag pronoun of quote i (its tag's verb given)."""
        settings = self.settings
        adjust: dict[str, float] = defaultdict(float)
        for cid in self.addressed[i]:
            adjust[cid] -= settings.turn_penalty  # nobody addresses themselves
        prev = i - 1
        if prev < 0 or self.starts[i] - self.ends[prev] > self.gap:
            return adjust
        if self.paragraphs and not self.paragraphs.between(self.ends[prev], self.starts[i]):
            if self.speaker.get(prev):
                adjust[self.speaker[prev]] += settings.turn_bonus  # one paragraph, one speaker
            return adjust
        # The previous turn: back over untagged quotes to the nearest one whose speaker is known.
        j, addressed = prev, set(self.addressed[prev])
        while j not in self.speaker and j > 0 and self._same_turn(j - 1, j):
            j -= 1
            addressed |= self.addressed[j]
        previous = self.speaker.get(j)
        if not self.paragraphs and verb.lemma_.lower() in CONTINUING_VERBS:
            if previous:
                adjust[previous] += settings.turn_bonus  # "…," he went on
            return adjust
        if previous and self.paragraphs:
            adjust[previous] -= settings.turn_penalty  # without paragraphs, the same speaker may well go on
        if j > 0 and self.starts[j] - self.ends[j - 1] <= self.gap and self.speaker.get(j - 1):
            addressed.add(self.speaker[j - 1])
        for cid in addressed - {previous}:
            adjust[cid] += settings.turn_bonus
        return adjust

    def _same_turn(self, a: int, b: int) -> bool:
        """Quotes a and b (a before b) may be one speaker's: close, and one paragraph if paragraphs are known."""
        if self.starts[b] - self.ends[a] > self.gap:
            return False
        return not self.paragraphs or not self.paragraphs.between(self.ends[a], self.starts[b])


class _Salutations:
    """The addressees of letters: "Dear Judy:", "Dearest Meg,", "To Mrs. Saville, England".

    In a letter, the "you" of its narration is the person it is written to, up to the next letter.
    Only a salutation opening a line ("Dear Judy:") or a letter's heading in capitals ("TO Mrs.
    Saville") counts, and only when it names a known character.
    """

    def __init__(self, text: str, quotes, names: list[Mention]):
        self.starts: list[int] = []
        self.addressees: list[str] = []
        for mention in names:
            if mention.start in quotes:
                continue
            before = text[max(0, mention.start - 40) : mention.start]
            salutation = SALUTATION_BEFORE.search(before) and SALUTATION_AFTER.match(text, mention.end)
            if salutation or HEADING_TO.search(before):
                self.starts.append(mention.start)
                self.addressees.append(mention.character)

    def addressee(self, offset: int) -> str | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.addressees[i] if i >= 0 else None


class _Resolver:
    def __init__(
        self,
        analysis: Analysis,
        characters: dict[str, Character],
        name_mentions: list[Mention],
        settings: CorefSettings,
    ):
        self.analysis = analysis
        self.settings = settings
        self.characters = characters
        self.by_start = {m.start: m for m in name_mentions}
        counts = Counter(m.character for m in name_mentions)
        self.log_counts = defaultdict(float, {c: math.log1p(n) for c, n in counts.items()})
        self.dominant = {}
        for gender in ("male", "female"):
            ranked = [
                c
                for c in sorted(characters.values(), key=lambda c: -counts[c.id])
                if c.gender == gender and not c.is_reader
            ]
            if ranked and (len(ranked) == 1 or counts[ranked[0].id] >= 2 * counts[ranked[1].id]):
                self.dominant[gender] = ranked[0].id

    def run(self) -> list[tuple[Mention, float]]:
        analysis = self.analysis
        quotes = analysis.layers.quote_index
        pov = analysis.profile.narration.pov
        resolved: list[tuple[Mention, float]] = []
        history: list[Entry] = []
        turns = _Turns(analysis, sorted(self.by_start.values(), key=lambda m: m.start), self.settings)
        salutations = _Salutations(analysis.work.text, quotes, sorted(self.by_start.values(), key=lambda m: m.start))
        sentence = 0.0
        for chunk_no, chunk in enumerate(analysis.layers.chunks):
            doc: Any = chunk.doc
            for sent in doc.sents:
                # Sentences of dialogue move the narration on less than narration does.
                sentence += self.settings.dialogue_sentence_weight if chunk.offset + sent.start_char in quotes else 1.0
                for token in sent:
                    start = chunk.offset + token.idx
                    name = self.by_start.get(start)
                    if name is not None:
                        head = name_head(token)
                        subject = token.dep_ in ("nsubj", "nsubjpass") or _span_is_subject(token)
                        history.append(
                            Entry(
                                name.character, sentence, subject, head.head.i, chunk_no, start in quotes, is_name=True
                            )
                        )
                        tagged = turns.tagged_quote(start)
                        if tagged is not None:
                            turns.speaker[tagged] = name.character
                        continue
                    lower = token.lower_
                    if token.pos_ != "PRON" and lower not in PRONOUN_GENDER:
                        continue
                    in_quote = start in quotes
                    end = start + len(token.text)
                    addressee = salutations.addressee(start) if not in_quote and lower in SECOND_PERSON else None
                    if addressee:
                        resolved.append((Mention(start, end, addressee, "pronoun"), 0.8))
                        continue
                    if not in_quote and pov == "second" and lower in SECOND_PERSON and READER_ID in self.characters:
                        resolved.append((Mention(start, end, READER_ID, "pronoun"), 0.9))
                        continue
                    if not in_quote and pov == "first" and lower in FIRST_PERSON and NARRATOR_ID in self.characters:
                        resolved.append((Mention(start, end, NARRATOR_ID, "pronoun"), 0.85))
                        continue
                    gender = PRONOUN_GENDER.get(lower)
                    if gender is None:
                        continue
                    tagged = None if in_quote else turns.tagged_quote(start)
                    adjust = turns.adjustments(tagged, token.head) if tagged is not None else {}
                    choice, confidence = self._choose(token, gender, sentence, history, chunk_no, in_quote, adjust)
                    if choice is None:
                        continue
                    if tagged is not None:
                        turns.speaker[tagged] = choice
                    resolved.append((Mention(start, end, choice, "pronoun"), confidence))
                    history.append(
                        Entry(
                            choice,
                            sentence,
                            token.dep_ in ("nsubj", "nsubjpass"),
                            token.head.i,
                            chunk_no,
                            in_quote,
                            confidence=confidence,
                        )
                    )
                if len(history) > 60:
                    del history[:-30]
        return resolved

    def _choose(
        self,
        token,
        gender: str,
        sentence: float,
        history: list[Entry],
        chunk_no: int,
        in_quote: bool,
        adjust: dict[str, float],
        window: float | None = None,
    ):
        """The best antecedent character for a pronoun, with a confidence from the score margin.

        Each character is scored by its best entry in the window, so a recent possessive does
        not hide the same character's subject mention a clause earlier.
        """
        settings = self.settings
        if window is None:
            window = settings.window_sentences
        best_by_character: dict[str, float] = {}
        order: dict[str, int] = {}
        is_object = token.dep_ in ("dobj", "pobj", "dative", "iobj") and token.lower_ not in REFLEXIVE
        clause_heads = _clause_heads(token) if is_object else set()
        # The clause's own subject is ruled out as an entry, not as a character: ruling out the
        # character (its earlier mentions too) lost more than it won on LitBank and PDNC, since a
        # resolved subject pronoun may itself be wrong.
        bound = [e for e in history if is_object and e.chunk == chunk_no and e.subject and e.head in clause_heads]
        for entry in reversed(history):
            if sentence - entry.sentence > window:
                break
            character = self.characters.get(entry.character)
            if character is None or character.is_reader:
                continue
            if any(entry is e for e in bound):
                continue  # "Kylo hit him", "Dean pulled him in and kissed him": him is not the subject
            rank = order.setdefault(entry.character, len(order))
            if entry.in_quote and not in_quote and not entry.is_name:
                continue  # a pronoun of dialogue is no antecedent for the narration (though it still
                # counts as a more recent character)
            score = _score(entry, rank, sentence, character, gender, self.log_counts, settings)
            if token.lower_ in REFLEXIVE and entry.subject and entry.sentence == sentence:
                score += settings.reflexive_bonus
            score -= settings.chain_doubt_weight * (1.0 - entry.confidence)  # a doubtful link passes its doubt on
            if in_quote and entry.in_quote:
                score += settings.dialogue_continuity_bonus  # dialogue goes on about whom dialogue named
            if entry.in_quote and not in_quote:
                score -= settings.dialogue_name_penalty  # a name said in dialogue is rarely the narration's next "he"
            if score > best_by_character.get(entry.character, -math.inf):
                best_by_character[entry.character] = score
        for cid, delta in adjust.items():
            if cid in best_by_character:
                best_by_character[cid] += delta
        ranked = sorted(((s, c) for c, s in best_by_character.items() if s > -math.inf), reverse=True)
        if ranked:
            margin = ranked[0][0] - ranked[1][0] if len(ranked) > 1 else 3.0
            return ranked[0][1], round(min(0.95, 0.5 + 0.15 * margin), 2)
        if window == settings.window_sentences:
            # Nobody of that gender nearby: the last one mentioned further back, if any.
            choice, confidence = self._choose(
                token, gender, sentence, history, chunk_no, in_quote, adjust, settings.fallback_window
            )
            if choice is not None:
                return choice, min(confidence, 0.45)
        if gender in self.dominant and all(e.character != self.dominant[gender] for e in bound):
            return self.dominant[gender], 0.4
        return None, 0.0


def _clause_heads(token) -> set[int]:
    """The verbs whose subject an object pronoun cannot be: its own verb and, up a chain of
    coordinated or infinitive verbs, the verb that carries their shared subject."""
    heads = {token.head.i}
    verb = token.head
    if verb.dep_ == "prep":
        verb = verb.head
        heads.add(verb.i)
    while verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
        verb = verb.head
        heads.add(verb.i)
    return heads


def _span_is_subject(token) -> bool:
    """A multi-token name's first token: is the name's head the subject?"""
    return name_head(token).dep_ in ("nsubj", "nsubjpass")


def _infer_genders(
    characters: dict[str, Character], resolved: list[tuple[Mention, float]], text: str, settings: CorefSettings
) -> bool:
    """Give unknown-gender characters the gender their pronouns show. True if anything changed."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for mention, _ in resolved:
        gender = PRONOUN_GENDER.get(text[mention.start : mention.end].lower())
        if gender:
            votes[mention.character][gender] += 1
    changed = False
    for cid, counter in votes.items():
        character = characters[cid]
        if character.gender != "unknown" or character.is_reader:
            continue
        gender, n = counter.most_common(1)[0]
        share = n / sum(counter.values())
        if n >= settings.min_gender_votes and share >= settings.min_gender_share:
            character.gender = gender
            character.gender_confidence = round(min(0.9, 0.5 + 0.4 * share * min(1.0, n / 5)), 2)
            changed = True
    return changed


@component(
    "coref",
    requires=(
        "chunks",
        "quote_index",
        "paragraphs",
        "speech_tags",
        "profile.narration",
        "profile.characters",
        "profile.mentions",
    ),
    assigns=("profile.mentions", "profile.characters", "profile.narration.pov"),
    settings=CorefSettings,
)
def resolve_pronouns(analysis: Analysis, settings: CorefSettings = CorefSettings()) -> None:
    profile = analysis.profile
    if profile.narration.pov == "first" and not any(c.id == NARRATOR_ID for c in profile.characters):
        profile.characters.append(Character(id=NARRATOR_ID, name="Narrator", gender="unknown"))
    characters = {c.id: c for c in profile.characters}
    names = [m for m in profile.mentions if m.kind == "name"]
    nominals = [m for m in profile.mentions if m.kind == "nominal"]
    anchors = sorted(names + nominals, key=lambda m: m.start)  # "the General" is an antecedent too
    resolved = _Resolver(analysis, characters, anchors, settings).run()
    if _infer_genders(characters, resolved, analysis.work.text, settings):
        resolved = _Resolver(analysis, characters, anchors, settings).run()
    profile.mentions = sorted(anchors + [m for m, _ in resolved], key=lambda m: m.start)
    profile.recount_mentions()
    profile.characters = [c for c in profile.characters if c.id != NARRATOR_ID or c.mention_count]
