"""Pipeline component: who speaks each quotation, and to whom (a sieve, see docs/quotes.md).

The sieves run in the order of `SIEVES`, from most to least certain, each only on quotes still
without a speaker (one module each in quotes/sieves/):

1. explicit / anaphoric tag — a speech verb next to the quote whose subject is a character
   mention: `"…," Rey retorted`, `said Rey`, `Kylo roared, "…"`, `"…" he whispered` (the pronoun
   was already resolved by coref), `You asked` (the Reader);
2. continuation — a quote that follows its own speaker's tag with nothing else between
   (`"…," she said. "…"`) has the same speaker;
3. action beat — the character who is the subject of the narration sentence right before (or,
   for a quote opening a paragraph, right after) the quote;
4. turn-taking — in a run of quotes between two people, speakers alternate;
5. nearest character — the last character mentioned before the quote who is not its addressee.

Vocatives (`"Okay, Kylo. I'll leave."`) name an addressee first, who is then never the speaker;
after the sieves, a quote still without an addressee speaks to the other party of its exchange.
Flattened text without paragraph breaks still works: every sieve reads sentences and tokens,
with paragraph breaks only as an extra boundary when they exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..analysis import Analysis
from ..component import component
from .sieves.addressees import two_party_addressees, vocative_addressees
from .sieves.beats import action_beats
from .sieves.context import Attribution, Context, State
from .sieves.continuation import continuation
from .sieves.nearest import nearest_character
from .sieves.tags import explicit_tags
from .sieves.turn_taking import turn_taking


@dataclass(frozen=True)
class SpeakerSettings:
    # The narration before a conversation whose characters may take part in it (turn-taking)…
    scene_chars: int = 1000
    # … and how many of them, the most often named first.
    max_participants: int = 6
    # Narration right before a conversation that sets its scene ("Mara and Tobias sat by the
    # fire."): a character named there takes part. Names further back mostly belong to other scenes.
    scene_setting_chars: int = 150
    # How far back the nearest-character sieve looks for a character named in narration.
    nearest_window_chars: int = 600
    # How far back a conversation with one known participant looks for a second one.
    recent_other_chars: int = 1500


Sieve = Callable[[Context, State], None]

# The steps in the order they run; each sieve only fills quotes still without a speaker (the
# continuation sieve may also overrule a weak tag, turn-taking a guess that is not firm).
SIEVES: tuple[Sieve, ...] = (
    vocative_addressees,  # who each quote calls by name is not its speaker
    explicit_tags,  # 1. "…," Rey retorted / "…," he said
    continuation,  # 2. "…," she said. "…"
    action_beats,  # 3. Rey turned to the window. "…"
    turn_taking,  # 4. speakers alternate in a conversation
    nearest_character,  # 5. the last character named before the quote
    two_party_addressees,  # a quote without an addressee speaks to the other party
)


def attribute(analysis: Analysis, settings: SpeakerSettings = SpeakerSettings()) -> list[Attribution]:
    """Every quote's attribution, in the order of `analysis.profile.quotes`."""
    ctx = Context(analysis, settings)
    conversations = ctx.conversations()
    state = State(
        results=[Attribution() for _ in ctx.quotes],
        conversations=conversations,
        conversation_start={i: turns[0][0] for turns in conversations for turn in turns for i in turn},
    )
    for sieve in SIEVES:
        sieve(ctx, state)
    return state.results


@component(
    "speakers",
    requires=(
        "chunks",
        "quote_index",
        "paragraphs",
        "speech_tags",
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
    settings=SpeakerSettings,
)
def attribute_quotes(analysis: Analysis, settings: SpeakerSettings = SpeakerSettings()) -> None:
    results = attribute(analysis, settings)
    for quote, result in zip(analysis.profile.quotes, results):
        quote.speaker = result.speaker
        quote.confidence = result.confidence
        quote.addressees = result.addressees
        quote.method = result.method
    analysis.profile.mentions.sort(key=lambda m: m.start)  # role speakers may have added mentions
