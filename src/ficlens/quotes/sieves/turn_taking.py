"""Sieve 4, turn-taking: in a conversation, a paragraph is one turn and speakers alternate.

First a paragraph's untagged quotes take the speaker its tagged quote has ("paragraph"); then
the best reading of the whole exchange (quotes/turns.py) names the remaining turns ("turn"),
anchored on the turns already known. A firm tag (explicit, anaphoric or continuation, but not
coreference's guess for "he said") is never overruled.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ...characters.find import NARRATOR_ID, READER_ID
from ..turns import TurnEvidence, decode_turns
from .context import Attribution, Context, State

# Sieves whose speaker a conversation's turn-taking never overrules.
FIRM_METHODS = {"explicit", "anaphoric", "continuation"}


def turn_taking(ctx: Context, state: State) -> None:
    for conversation in state.conversations:
        _decode(ctx, state, conversation)


def _decode(ctx: Context, state: State, turns: list[list[int]]) -> None:
    """Speakers for a conversation's untagged turns from the best reading of the whole
    exchange (quotes/turns.py); a paragraph's quotes share its speaker."""
    results, pronoun_genders = state.results, state.pronoun_genders
    evidence: list[TurnEvidence] = []
    for turn in turns:
        best = max((i for i in turn if results[i].speaker), key=lambda i: results[i].confidence, default=None)
        ev = TurnEvidence()
        if best is not None:
            known = results[best].speaker
            assert known is not None  # `best` is a quote with a speaker
            ev.known = known
            # coreference's choice for "he said" is a guess the exchange may overrule
            ev.firm = results[best].method in FIRM_METHODS and best not in pronoun_genders
            for i in turn:  # a paragraph is one turn
                if not results[i].speaker and known not in results[i].addressees:
                    results[i].set(known, 0.55, "paragraph")
        evidence.append(ev)
    if all(ev.known and ev.firm for ev in evidence):
        return
    quotes = ctx.quotes
    for t, (turn, ev) in enumerate(zip(turns, evidence)):
        ev.addressed = {a for i in turn for a in results[i].addressees}
        ev.named = {
            m.character for i in turn for m in ctx.mentions.within(quotes[i].start, quotes[i].end) if m.kind == "name"
        } - ev.addressed
        ev.gender = next((pronoun_genders[i] for i in turn if i in pronoun_genders), None)
        ev.addressed_gender = next((g for i in turn if (g := ctx.address_gender(quotes[i]))), None)
        if t:
            ev.gap = _gap_kind(ctx, quotes[turn[0] - 1].end, quotes[turn[0]].start)
        if ev.gap == "narration" or not t:
            ev.narrated = _narration_subject(ctx, quotes[turn[0]].start)
    salience = _participants(ctx, turns, results)
    speakers = decode_turns(evidence, salience, {c: ctx.gender(c) for c in salience})
    for turn, ev, speaker in zip(turns, evidence, speakers):
        if speaker is None:
            continue
        for i in turn:
            open_or_guess = results[i].speaker is None or (results[i].speaker != speaker and not ev.firm)
            if open_or_guess and speaker not in results[i].addressees:
                results[i].set(speaker, 0.5, "turn")


def _narration_subject(ctx: Context, quote_start: int) -> str | None:
    """The character who is the subject of the last narration sentence before a quote
    ("Helen, looking very pale, ran out to meet her aunt.⏎⏎"Aunt Juley, …"): often, not
    always, the one who speaks next."""
    window_start = max(0, quote_start - 200)
    end = window_start + len(ctx.text[window_start:quote_start].rstrip(" \t\r\n\"“‘'"))
    loc = ctx.tokens.locate(max(0, end - 1))
    if loc is None:
        return None
    chunk = ctx.chunks[loc[0]]
    doc: Any = chunk.doc
    token = doc[loc[1]]
    if chunk.offset + token.idx in ctx.quote_index:
        return None
    return ctx.sentence_subject(chunk, list(token.sent))


def _gap_kind(ctx: Context, start: int, end: int) -> str:
    """What lies between two turns: "bare", "tag" (only the first turn's closing words) or
    "narration" (a paragraph of its own, or words opening the second turn's paragraph)."""
    pieces = [ctx.text[start:end]]
    if ctx.paragraphs:
        bounds = [start, *ctx.paragraphs.within(start, end), end]
        pieces = [ctx.text[a:b] for a, b in zip(bounds, bounds[1:])]
    words = [bool(p.strip(" \t\r\n\"'“”‘’")) for p in pieces]
    if any(words[1:]):
        return "narration"
    return "tag" if words[0] else "bare"


def _participants(ctx: Context, turns: list[list[int]], results: list[Attribution]) -> dict[str, float]:
    """Who takes part in a conversation, each with a weight: its known speakers and
    addressees, and the characters named in the narration of the scene around it."""
    weight: dict[str, float] = defaultdict(float)
    for i in (i for turn in turns for i in turn):
        speaker = results[i].speaker
        for c in ([speaker] if speaker else []) + results[i].addressees:
            weight[c] += 2.0
    first, last = ctx.quotes[turns[0][0]], ctx.quotes[turns[-1][-1]]
    for mention in ctx.mentions.within(max(0, first.start - ctx.settings.scene_chars), last.end):
        if mention.start in ctx.quote_index:
            continue
        weight[mention.character] += 1.0 if mention.kind == "name" else 0.5
    weight = {c: w for c, w in weight.items() if c in ctx.characters and _may_take_part(ctx, c)}
    ranked = dict(sorted(weight.items(), key=lambda kv: -kv[1])[: ctx.settings.max_participants])
    if len(ranked) < 2:
        known = next(iter(ranked), None)
        other = _recent_other(ctx, first.start, known) if known else None
        if other:
            ranked[other] = 0.5
    return ranked


def _may_take_part(ctx: Context, cid: str) -> bool:
    """With a cast given, the scene's people are the cast's: a capitalised word character
    finding took for a name outside the cast ("Nature", "Providence") takes no turn."""
    if not ctx.analysis.resources.cast or cid in (NARRATOR_ID, READER_ID):
        return True
    return cid in ctx.analysis.layers.kb_characters or cid.startswith(("cast-", "the-"))


def _recent_other(ctx: Context, before: int, exclude: str) -> str | None:
    window = ctx.mentions.within(max(0, before - ctx.settings.recent_other_chars), before)
    for mention in reversed(window):
        if mention.character != exclude and mention.start not in ctx.quote_index:
            if ctx.characters.get(mention.character) is not None:
                return mention.character
    return None
