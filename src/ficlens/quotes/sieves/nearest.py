"""Sieve 5, nearest character: the last character mentioned in the narration before the quote
who is not its addressee. The least certain guess, for quotes no other sieve could place."""

from __future__ import annotations

from .context import Context, State


def nearest_character(ctx: Context, state: State) -> None:
    results = state.results
    for i, quote in enumerate(ctx.quotes):
        if results[i].speaker:
            continue
        window = ctx.mentions.within(max(0, quote.start - ctx.settings.nearest_window_chars), quote.start)
        for mention in reversed(window):
            if mention.character not in results[i].addressees and mention.start not in ctx.quote_index:
                results[i].set(mention.character, 0.3, "nearest")
                break
