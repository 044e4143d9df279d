"""Pipeline component: give a first-person narrator their name when the story reveals it.

A narrator rarely calls themselves by name in narration, but a story reveals the name in a few
recognisable ways, tried from the most to the least certain:

1. self-naming: "Call me Tobiah", "my name is Ned Ambler", "I, Ned Ambler, of Leeds",
   "I called myself Kit" — in narration, or in the narrator's own speech;
2. the frame of a journal or letter: "MARGARET ELLWOOD'S JOURNAL", a letter signed "Yours ever,
   NELL" (the writer of the letters is the "I" of their text);
3. being addressed: other characters call the narrator by name in dialogue ("Kit, old chap,"
   said Joe), while the narration itself never uses that name — it says "I". So a character
   named (almost) only inside quotations, addressed there by name at least twice and seldom
   speaking under that name, is the narrator.

The anonymous "Narrator" character — all the narration's "I"s — is then merged into the named
one. A name that self-naming reveals but no character holds yet ("Call me Tobiah") becomes the
narrator's own name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import cast

from ..analysis import Analysis
from ..component import component
from .find import NARRATOR_ID
from ..model import Mention
from ..spans import SpanIndex
from ..discourse.vocatives import vocative_mentions

# Words right before a name that make it the speaker's own name.
SELF_NAMING_CUE = re.compile(
    r"(?:\b(?i:my (?:christian |first |given )?name (?:is|was)|call me|called myself|I am called|I was called"
    r"|they call(?:ed)? me)|(?:^|[^\w'’])I\s*,)\s*$"
)
# A self-naming cue followed by a name no character holds yet ("Call me Tobiah.").
SELF_NAMING = re.compile(
    r"\b(?i:my name (?:is|was)|call me|I am called|they call me)\s+([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)(?=\s*[.,;!])"
)
# "MARGARET ELLWOOD'S JOURNAL": the owner of a journal or diary writes its "I".
JOURNAL_AFTER = re.compile(r"\s*['’][sS]\s+(?i:journal|diary|memoirs?|narrative|statement|letters?)\b")
# A letter's closing before its signature: "Yours as ever, … NELL".
CLOSING_BEFORE = re.compile(
    r"\b(?:Yours|Your (?:\w+ ){0,3}(?:friend|servant|daughter|son|sister|brother))\b[^.!?\n]{0,90}$"
)
TAGGED_METHODS = {"explicit", "anaphoric"}


@dataclass(frozen=True)
class NarratorSettings:
    # A narrator known by being addressed: named (almost) only inside quotations — this share of
    # its name mentions, or half for a character addressed three times or more …
    min_inside_share: float = 0.8
    # … and addressed by name at least this many times.
    min_vocatives: int = 2
    cue_window: int = 40  # characters before a mention in which a self-naming cue is looked for


def _addressed(text: str, quote, mentions: list[Mention]) -> list[Mention]:
    """Vocatives of a quote, also those followed by a semicolon or a dash ("…there, Kit; sit up")."""
    found = vocative_mentions(text, quote, mentions)
    for mention in mentions:
        if mention in found or mention.kind != "name":
            continue
        if re.search(r",\s*$", text[mention.start - 2 : mention.start]) and re.match(
            r"\s*(?:;|--|—)", text[mention.end : mention.end + 3]
        ):
            found.append(mention)
    return found


class _Evidence:
    """Per character: how the story names it — where, by whom, and in what frame."""

    def __init__(self, analysis: Analysis, settings: NarratorSettings):
        self.settings = settings
        profile = analysis.profile
        self.quotes = analysis.layers.quote_index
        self.text = analysis.work.text
        self.names = sorted((m for m in profile.mentions if m.kind == "name"), key=lambda m: m.start)
        self.speaker_at = {(q.start, q.end): q.speaker for q in profile.quotes}
        self.self_named: list[str] = []
        self.framed: Counter[str] = Counter()  # journal owner, letter signature
        self.total: Counter[str] = Counter()
        self.inside: Counter[str] = Counter()
        self.speaks: Counter[str | None] = Counter()
        # weighted: a vocative in the narrator's own speech counts half
        self.vocative = cast("dict[str, float]", Counter())
        self.vocative_count: Counter[str] = Counter()
        # Only quotes a tag attributes count as speaking: turn-taking guesses hand the narrator's own
        # turns to whoever the previous turn addressed, which is the narrator's name itself.
        for quote in profile.quotes:
            if (quote.method if quote.method is not None else "explicit") in TAGGED_METHODS:
                self.speaks[quote.speaker] += 1
        for mention in self.names:
            self._read_mention(mention)
        names = SpanIndex(self.names)
        for quote in profile.quotes:
            inside = names.within(quote.start, quote.end)
            for mention in _addressed(self.text, quote, inside):
                self.vocative[mention.character] += 0.5 if quote.speaker == NARRATOR_ID else 1.0
                self.vocative_count[mention.character] += 1

    def _narrators_words(self, offset: int) -> bool:
        """Narration, or a quotation the narrator (or nobody known) speaks."""
        span = self.quotes.at(offset)
        return span is None or self.speaker_at.get((span.start, span.end)) in (NARRATOR_ID, None)

    def _read_mention(self, mention: Mention) -> None:
        text = self.text
        before = text[max(0, mention.start - self.settings.cue_window) : mention.start]
        cue = SELF_NAMING_CUE.search(before)
        if cue and self._narrators_words(mention.start):
            comma_form = cue.group(0).rstrip().endswith(",")
            if not comma_form or re.match(r"\s*,", text[mention.end : mention.end + 2]):
                self.self_named.append(mention.character)
                return
        if mention.start not in self.quotes and (
            JOURNAL_AFTER.match(text, mention.end)
            or CLOSING_BEFORE.search(text, max(0, mention.start - 120), mention.start)
        ):
            self.framed[mention.character] += 1
            return
        self.total[mention.character] += 1
        if mention.start in self.quotes:
            self.inside[mention.character] += 1

    def inside_share(self, cid: str) -> float:
        return self.inside[cid] / self.total[cid] if self.total[cid] else 1.0

    def choose(self) -> str | None:
        """The narrator's character id, or None when the story does not say."""
        if self.self_named:
            return self.self_named[0]
        framed = [c for c in self.framed if self.inside_share(c) >= 0.5]
        if framed:
            return max(framed, key=lambda c: (self.framed[c], self.vocative[c], c))
        candidates = [
            cid for cid, weight in self.vocative.items()
            if self.vocative_count[cid] >= self.settings.min_vocatives and weight >= 1.0
            and self.speaks[cid] <= self.vocative_count[cid]
            and (self.inside_share(cid) >= self.settings.min_inside_share or (weight >= 3 and self.inside_share(cid) >= 0.5))
        ]  # fmt: skip
        if not candidates:
            return None
        return max(candidates, key=lambda cid: (2 * self.vocative[cid] + self.inside[cid], cid))


def _name_from_self_naming(analysis: Analysis, quotes) -> Mention | None:
    """'Call me Tobiah': a name no character holds yet, given by the narrator to themselves."""
    for part, text in analysis.work.iter_story():
        for match in SELF_NAMING.finditer(text):
            start = part.start + match.start(1)
            if start not in quotes:
                return Mention(start, start + len(match.group(1)), NARRATOR_ID, "name")
    return None


@component(
    "narrator",
    requires=(
        "quote_index",
        "profile.narration",
        "profile.quotes.speaker",
        "profile.quotes.method",
        "profile.characters",
        "profile.mentions",
    ),
    assigns=("profile.characters", "profile.mentions"),
    settings=NarratorSettings,
)
def name_narrator(analysis: Analysis, settings: NarratorSettings = NarratorSettings()) -> None:
    profile = analysis.profile
    narrator = profile.character(NARRATOR_ID)
    if profile.narration.pov != "first" or narrator is None:
        return
    chosen = _Evidence(analysis, settings).choose()
    if chosen is not None:
        _merge(analysis, NARRATOR_ID, chosen)
        return
    named = _name_from_self_naming(analysis, analysis.layers.quote_index)
    if named is not None and not any(m.start == named.start for m in profile.mentions):
        name = analysis.work.text[named.start : named.end]
        narrator.name, narrator.aliases = name, [name]
        profile.mentions = sorted(profile.mentions + [named], key=lambda m: m.start)
        profile.recount_mentions()


def _merge(analysis: Analysis, source: str, target: str) -> None:
    profile = analysis.profile
    for mention in profile.mentions:
        if mention.character == source:
            mention.character = target
    for quote in profile.quotes:
        if quote.speaker == source:
            quote.speaker = target
        quote.addressees = list(dict.fromkeys(target if a == source else a for a in quote.addressees))
        if quote.speaker in quote.addressees:
            quote.addressees.remove(quote.speaker)
    profile.characters = [c for c in profile.characters if c.id != source]
    profile.recount_mentions()
