"""Who speaks the untagged turns of a conversation: one best reading of the whole exchange.

A run of quotes without tags ("…" / "…" / "…") is read the way a reader reads it: the people
present take turns, mostly two at a time (A B A B), a third voice cuts in now and then, and
one person rarely speaks two paragraphs running. What the text does say pins the reading down:

- a tagged turn (`said Rey`, a beat) fixes its speaker;
- whoever a turn addresses by name (`"…, Kylo?"`) is not its speaker, and is likely the
  speaker of the turn before or after it;
- an untagged "she said" only allows women, "he said" only men;
- people seldom name themselves: a name inside a quote is rarely its speaker.

These cues are scores, and a second-order Viterbi search finds the sequence of speakers with
the best total over the conversation, so a vocative late in an exchange can fix turns before
it. The weights are few, set by hand and listed in `TurnWeights` (see docs/quotes.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

NEG_INF = float("-inf")


@dataclass
class TurnEvidence:
    """What the text says about one turn (the quotes of one paragraph)."""

    known: str | None = None  # a speaker the tag sieves found
    firm: bool = True  # whether that speaker comes from a tag (firm) or a guess such as a beat
    addressed: set[str] = field(default_factory=set)  # named as addressee in the turn
    named: set[str] = field(default_factory=set)  # named inside the quotes, not as addressee
    gender: str | None = None  # gender of an unresolved pronoun tag ("…," she said)
    addressed_gender: str | None = None  # "Yes, sir": the gender of whoever the turn addresses
    narrated: str | None = None  # subject of the narration sentence right before the turn
    # What stands between this turn and the one before: "bare" (nothing), "tag" (only the tag
    # closing the turn before) or "narration" (a paragraph of narration, or a beat opening this turn).
    gap: str = "bare"


@dataclass(frozen=True)
class TurnWeights:
    """Log-scores of the cues. Zero is neutral; only differences between readings matter."""

    # One person speaks two turns running: almost never with nothing between, seldom after a tag,
    # often enough after narration. The rates behind these log-odds (about 1 %, 7 % and 30 %) were
    # counted on the gold turns of the PDNC dev novels; nothing else was fitted to them.
    same_speaker_bare: float = -5.0
    same_speaker_after_tag: float = -2.7
    same_speaker_after_narration: float = -0.8
    third_voice: float = -1.2  # a turn by neither of the two previous speakers
    addressed_in_turn: float = -6.0  # the turn addresses this person by name
    addressed_next_door: float = 2.0  # the turn before or after addresses this person
    named_in_turn: float = -1.0
    wrong_gender: float = -6.0
    answers_wrong_address: float = -1.5  # the turn before or after says "sir", and this is a woman
    narrated_subject: float = 1.0  # the subject of the narration right before the turn
    overruled_guess: float = -4.0  # disagreeing with a beat or with coreference's "he"
    salience: float = 0.5  # times log of the share of the most salient participant's weight
    recent_voice: float = 0.5  # one of the last two people known to have spoken before the turn


def decode_turns(
    turns: list[TurnEvidence],
    salience: dict[str, float],
    gender_of: dict[str, str],
    weights: TurnWeights = TurnWeights(),
) -> list[str | None]:
    """The speaker of every turn in the best-scoring reading; None when there are no candidates.

    `salience` holds the candidates (the conversation's participants) with a positive weight
    each: how prominent they are around the conversation.
    """
    candidates = list(salience)
    for turn in turns:  # a tagged speaker is always a candidate
        if turn.known and turn.known not in salience:
            candidates.append(turn.known)
    if not candidates:
        return [None] * len(turns)
    top = max(salience.values(), default=1.0) or 1.0
    prior = {c: weights.salience * math.log(max(salience.get(c, 0.0), 1e-3) / top) for c in candidates}

    recent: list[set[str]] = []  # per turn: the last two distinct known speakers before it
    voices: list[str] = []
    for turn in turns:
        recent.append(set(voices[:2]))
        if turn.known:
            voices = [turn.known] + [v for v in voices if v != turn.known]

    def emission(t: int, c: str) -> float:
        turn = turns[t]
        if turn.known is not None:
            if c == turn.known:
                return 0.0
            if turn.firm:
                return NEG_INF
            score = weights.overruled_guess
        else:
            score = prior[c] + (weights.recent_voice if c in recent[t] else 0.0)
        if c in turn.addressed:
            score += weights.addressed_in_turn
        if (t > 0 and c in turns[t - 1].addressed) or (t + 1 < len(turns) and c in turns[t + 1].addressed):
            score += weights.addressed_next_door
        if c == turn.narrated:
            score += weights.narrated_subject
        if c in turn.named and c not in turn.addressed:
            score += weights.named_in_turn
        if turn.gender and gender_of.get(c) in ("male", "female") and gender_of[c] != turn.gender:
            score += weights.wrong_gender
        if gender_of.get(c) in ("male", "female"):
            for n in (t - 1, t + 1):
                if 0 <= n < len(turns) and turns[n].addressed_gender not in (None, gender_of[c]):
                    score += weights.answers_wrong_address
        return score

    same_speaker = {
        "bare": weights.same_speaker_bare,
        "tag": weights.same_speaker_after_tag,
        "narration": weights.same_speaker_after_narration,
    }
    repeat_cost = [same_speaker[turn.gap] for turn in turns]

    def transition(t: int, before: str | None, previous: str | None, current: str) -> float:
        if previous is None:
            return 0.0
        if current == previous:
            return repeat_cost[t]
        if before is None or current == before:
            return 0.0
        return weights.third_voice

    # Viterbi over states (previous speaker, current speaker).
    scores: dict[tuple[str | None, str], float] = {}
    for c in candidates:
        e = emission(0, c)
        if e > NEG_INF:
            scores[(None, c)] = e
    back: list[dict[tuple[str | None, str], tuple[str | None, str] | None]] = []
    for t in range(1, len(turns)):
        emitted = {c: emission(t, c) for c in candidates}
        new_scores: dict[tuple[str | None, str], float] = {}
        pointers: dict[tuple[str | None, str], tuple[str | None, str] | None] = {}
        for (before, previous), score in scores.items():
            for current, e in emitted.items():
                if e == NEG_INF:
                    continue
                total = score + e + transition(t, before, previous, current)
                reached: tuple[str | None, str] = (previous, current)
                if total > new_scores.get(reached, NEG_INF):
                    new_scores[reached] = total
                    pointers[reached] = (before, previous)
        if not new_scores:  # contradictory tags: start afresh from this turn
            new_scores = {(None, c): e for c, e in emitted.items() if e > NEG_INF}
            pointers = {state: None for state in new_scores}
        scores = new_scores
        back.append(pointers)
    if not scores:
        return [None] * len(turns)
    state = max(scores, key=lambda s: scores[s])
    path: list[str | None] = [state[1]]
    for pointers in reversed(back):
        previous_state = pointers.get(state)
        if previous_state is None:
            break
        state = previous_state
        path.append(state[1])
    path.reverse()
    if len(path) < len(turns):  # a restart cut the chain: decode the earlier part on its own
        head = decode_turns(turns[: len(turns) - len(path)], salience, gender_of, weights)
        path = head + path
    return path
