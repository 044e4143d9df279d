"""Addressees, the steps around the speaker sieves: vocatives before them (whoever a quote
calls by name is never its speaker), and after them the other party of a two-person exchange."""

from __future__ import annotations

from .context import Context, State


def vocative_addressees(ctx: Context, state: State) -> None:
    """`"Okay, Kylo. I'll leave."`: Kylo is spoken to."""
    for result, quote in zip(state.results, ctx.quotes):
        result.addressees = ctx.vocatives(quote)


def two_party_addressees(ctx: Context, state: State) -> None:
    """A quote with a speaker and no addressee yet speaks to the other speaker next to it."""
    results, quotes = state.results, ctx.quotes
    for i in range(len(quotes)):
        if results[i].addressees or not results[i].speaker:
            continue
        for j in (i - 1, i + 1):
            other = results[j].speaker if 0 <= j < len(quotes) else None
            if other and other != results[i].speaker:
                if abs(quotes[i].start - quotes[j].start) < 2 * ctx.tags.conversation_gap_chars:
                    results[i].addressees = [other]
                    break
