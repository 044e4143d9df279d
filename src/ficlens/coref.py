"""Pipeline component: pronouns → characters (a rule sieve, documented in docs/characters-and-coreference.md).

Narration pronouns of the narrating person go to the narrator: "you" in second-person narration
to the Reader, "I" in first-person narration to the narrator. Third-person pronouns are resolved
left to right against a short discourse history of earlier mentions (names and already resolved
pronouns): candidates must agree in gender, a non-reflexive object pronoun cannot be its own
clause's subject, and among the rest the most salient wins — recent, a subject, often mentioned.
When nothing in the window fits, the same scoring looks further back (the last woman named a page
ago is still the likeliest "she"), and only then does a pronoun fall back to the story's dominant
character of that gender, which is how fan fiction (one "he", one "she") is mostly written.

Characters whose gender is unknown after names are read get it from the pronouns that resolve
to them in a first pass; a second pass then resolves again with those genders.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from .characters.find import READER_ID
from .model import Character, Mention
from .pipeline import Analysis

PRONOUN_GENDER = {
    "he": "male", "him": "male", "his": "male", "himself": "male",
    "she": "female", "her": "female", "hers": "female", "herself": "female",
}  # fmt: skip
REFLEXIVE = {"himself", "herself", "themself"}
SECOND_PERSON = {"you", "your", "yours", "yourself"}
FIRST_PERSON = {"i", "me", "my", "mine", "myself"}
WINDOW_SENTENCES = 3
FALLBACK_WINDOW = 12
NARRATOR_ID = "narrator"


@dataclass
class Entry:
    """One mention in the discourse history."""

    character: str
    sentence: float  # running sentence position over the work (dialogue sentences count less)
    subject: bool
    head: int  # token index of the governing verb (for the binding constraint), -1 if none
    chunk: int
    in_quote: bool = False


def _gender_ok(character: Character, pronoun_gender: str) -> float:
    if character.gender == pronoun_gender:
        return 1.0
    if character.gender == "unknown":
        return 0.35
    return 0.0


# Weights of the salience score (docs/characters-and-coreference.md, step 4).
AGREEMENT_WEIGHT = 3.0
DISTANCE_WEIGHT = 1.0  # per sentence back
RANK_WEIGHT = 0.15  # per character mentioned more recently
SUBJECT_BONUS = 0.8
FREQUENCY_WEIGHT = 0.3  # times log(1 + name mentions)
DIALOGUE_NAME_PENALTY = 1.5  # a name said in dialogue, for a pronoun of narration
REFLEXIVE_BONUS = 2.0


def _score(entry: Entry, rank: int, sentence: int, character: Character, pronoun_gender: str, log_counts) -> float:
    agreement = _gender_ok(character, pronoun_gender)
    if agreement == 0.0:
        return -math.inf
    score = AGREEMENT_WEIGHT * agreement
    score -= DISTANCE_WEIGHT * (sentence - entry.sentence)
    score -= RANK_WEIGHT * rank
    score += SUBJECT_BONUS if entry.subject else 0.0
    score += FREQUENCY_WEIGHT * log_counts[character.id]
    return score


class _Resolver:
    def __init__(self, analysis: Analysis, characters: dict[str, Character], name_mentions: list[Mention]):
        self.analysis = analysis
        self.characters = characters
        self.by_start = {m.start: m for m in name_mentions}
        counts = Counter(m.character for m in name_mentions)
        self.log_counts = defaultdict(float, {c: math.log1p(n) for c, n in counts.items()})
        self.dominant = {}
        for gender in ("male", "female"):
            ranked = [c for c in sorted(characters.values(), key=lambda c: -counts[c.id])
                      if c.gender == gender and not c.is_reader]
            if ranked and (len(ranked) == 1 or counts[ranked[0].id] >= 2 * counts[ranked[1].id]):
                self.dominant[gender] = ranked[0].id

    def run(self) -> list[tuple[Mention, float]]:
        analysis = self.analysis
        quotes = analysis.layers["quote_index"]
        pov = analysis.profile.narration.pov
        resolved: list[tuple[Mention, float]] = []
        history: list[Entry] = []
        sentence = 0.0
        for chunk_no, chunk in enumerate(analysis.layers["chunks"]):
            for sent in chunk.doc.sents:
                # Sentences of dialogue move the narration on less than narration does.
                sentence += 0.34 if chunk.offset + sent.start_char in quotes else 1.0
                for token in sent:
                    start = chunk.offset + token.idx
                    name = self.by_start.get(start)
                    if name is not None:
                        history.append(Entry(name.character, sentence, token.dep_ in ("nsubj", "nsubjpass") or _span_is_subject(token), token.head.i, chunk_no, start in quotes))
                        continue
                    lower = token.lower_
                    if token.pos_ != "PRON" and lower not in PRONOUN_GENDER:
                        continue
                    in_quote = start in quotes
                    end = start + len(token.text)
                    if not in_quote and pov == "second" and lower in SECOND_PERSON and READER_ID in self.characters:
                        resolved.append((Mention(start, end, READER_ID, "pronoun"), 0.9))
                        continue
                    if not in_quote and pov == "first" and lower in FIRST_PERSON and NARRATOR_ID in self.characters:
                        resolved.append((Mention(start, end, NARRATOR_ID, "pronoun"), 0.85))
                        continue
                    gender = PRONOUN_GENDER.get(lower)
                    if gender is None:
                        continue
                    choice, confidence = self._choose(token, gender, sentence, history, chunk_no, in_quote)
                    if choice is None:
                        continue
                    resolved.append((Mention(start, end, choice, "pronoun"), confidence))
                    history.append(Entry(choice, sentence, token.dep_ in ("nsubj", "nsubjpass"), token.head.i, chunk_no, in_quote))
                if len(history) > 60:
                    del history[:-30]
        return resolved

    def _choose(self, token, gender: str, sentence: float, history: list[Entry], chunk_no: int, in_quote: bool,
                window: float = WINDOW_SENTENCES):
        """The best antecedent character for a pronoun, with a confidence from the score margin.

        Each character is scored by its best entry in the window, so a recent possessive does
        not hide the same character's subject mention a clause earlier.
        """
        best_by_character: dict[str, float] = {}
        order: dict[str, int] = {}
        is_object = token.dep_ in ("dobj", "pobj", "dative", "iobj") and token.lower_ not in REFLEXIVE
        for entry in reversed(history):
            if sentence - entry.sentence > window:
                break
            character = self.characters.get(entry.character)
            if character is None or character.is_reader:
                continue
            if is_object and entry.chunk == chunk_no and entry.subject and entry.head == token.head.i:
                continue  # "Kylo hit him": him is not Kylo
            rank = order.setdefault(entry.character, len(order))
            score = _score(entry, rank, sentence, character, gender, self.log_counts)
            if token.lower_ in REFLEXIVE and entry.subject and entry.sentence == sentence:
                score += REFLEXIVE_BONUS
            if entry.in_quote and not in_quote:
                score -= DIALOGUE_NAME_PENALTY  # a name said in dialogue is rarely the narration's next "he"
            if score > best_by_character.get(entry.character, -math.inf):
                best_by_character[entry.character] = score
        ranked = sorted(((s, c) for c, s in best_by_character.items() if s > -math.inf), reverse=True)
        if ranked:
            margin = ranked[0][0] - ranked[1][0] if len(ranked) > 1 else 3.0
            return ranked[0][1], round(min(0.95, 0.5 + 0.15 * margin), 2)
        if window == WINDOW_SENTENCES:
            # Nobody of that gender nearby: the last one mentioned further back, if any.
            choice, confidence = self._choose(token, gender, sentence, history, chunk_no, in_quote, FALLBACK_WINDOW)
            if choice is not None:
                return choice, min(confidence, 0.45)
        if gender in self.dominant:
            return self.dominant[gender], 0.4
        return None, 0.0


def _span_is_subject(token) -> bool:
    """A multi-token name's first token: is the name's head the subject?"""
    head = token
    while head.dep_ in ("compound", "flat", "amod", "det") and head.head is not head:
        head = head.head
    return head.dep_ in ("nsubj", "nsubjpass")


def _infer_genders(characters: dict[str, Character], resolved: list[tuple[Mention, float]], text: str) -> bool:
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
        if n >= 2 and share >= 0.7:
            character.gender = gender
            character.gender_confidence = round(min(0.9, 0.5 + 0.4 * share * min(1.0, n / 5)), 2)
            changed = True
    return changed


def resolve_pronouns(analysis: Analysis) -> None:
    profile = analysis.profile
    if profile.narration.pov == "first" and not any(c.id == NARRATOR_ID for c in profile.characters):
        profile.characters.append(Character(id=NARRATOR_ID, name="Narrator", gender="unknown"))
    characters = {c.id: c for c in profile.characters}
    names = [m for m in profile.mentions if m.kind == "name"]
    nominals = [m for m in profile.mentions if m.kind == "nominal"]
    anchors = sorted(names + nominals, key=lambda m: m.start)  # "the General" is an antecedent too
    resolved = _Resolver(analysis, characters, anchors).run()
    if _infer_genders(characters, resolved, analysis.work.text):
        resolved = _Resolver(analysis, characters, anchors).run()
    analysis.layers["pronoun_confidence"] = {(m.start, m.end): conf for m, conf in resolved}
    profile.mentions = sorted(anchors + [m for m, _ in resolved], key=lambda m: m.start)
    profile.recount_mentions()
    profile.characters = [c for c in profile.characters if c.id != NARRATOR_ID or c.mention_count]
