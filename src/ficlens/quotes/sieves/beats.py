"""Sieve 3, action beats: the character who is the subject of the narration sentence right
before the quote (or, for a quote opening a paragraph, right after it) speaks it
(`Rey turned to the window. "…"`)."""

from __future__ import annotations

from .context import Context, State


def action_beats(ctx: Context, state: State) -> None:
    results = state.results
    for i, quote in enumerate(ctx.quotes):
        if results[i].speaker:
            continue
        regions = ctx.tags.quotes[i]
        chunk, before = regions.before.chunk, regions.before.tokens
        speaker = ctx.sentence_subject(chunk, before, nearest_last=True) if chunk else None
        if not speaker:
            chunk, after = regions.after.chunk, regions.after.tokens
            opens_paragraph = ctx.paragraphs.between(max(0, quote.start - 3), quote.start + 1) or quote.start == 0
            if chunk and (opens_paragraph or not before):
                speaker = ctx.sentence_subject(chunk, after)
        if speaker and speaker not in results[i].addressees:
            results[i].set(speaker, 0.6, "beat")
