"""Sieve 1, explicit and anaphoric tags: a speech verb next to the quote whose subject is a
character: `"…," Rey retorted`, `said Rey`, `Kylo roared, "…"`, `"…" he whispered` (the pronoun
was already resolved by coreference), `You asked` (the Reader).

The tag's words come from the `speech_tags` layer (discourse/speech_tags.py); this sieve decides
who they name. A tag that starts a new sentence after a quote closed by a full stop ("…." Kylo
growled in response) is weaker: it may be a reaction, and the continuation sieve may overrule it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ...discourse.pronouns import GENDERED_PRONOUNS
from ...discourse.speech_tags import SUBJECT_DEPS, TagRegion, addressee_tokens
from ...speech import CORE_SPEECH_VERBS
from .context import Context, State


class Tag(NamedTuple):
    """A speech tag: who it names (if anyone), how, its verb and the word naming the speaker."""

    speaker: str | None
    method: str
    verb: Any
    subject: Any


NO_TAG = Tag(None, "", None, None)


def explicit_tags(ctx: Context, state: State) -> None:
    results = state.results
    for i, quote in enumerate(ctx.quotes):
        regions = ctx.tags.quotes[i]
        chunk = regions.after.chunk
        tag = tag_speaker(ctx, regions.after, addressees=results[i].addressees) if chunk else NO_TAG
        detached = False
        if tag.verb is not None:
            state.tag_end[i] = ctx.tags.tag_end(i)
            detached = regions.detached
            if detached and tag.verb.lemma_ not in CORE_SPEECH_VERBS:
                state.weak.add(i)
        # A tag introducing the quote ("Helen said to her aunt: "…"; and Tibby implored…")
        # beats one in a new sentence or clause after it.
        if (not tag.speaker and tag.method != "nominal") or detached:
            before = regions.before_tag
            # Lead-in punctuation, or none at all where a dash was lost ("Syme said with dignity ⏎⏎"…")
            if (
                before.chunk
                and before.tokens
                and (before.tokens[-1].text in (",", ":", "—", "-", "--") or not before.tokens[-1].is_punct)
            ):
                # A tag between two halves of one speech ("…, Lizzy," said her mother, "…")
                # speaks to whom the first half does.
                spoken_to = results[i].addressees + (results[i - 1].addressees if i - 1 in state.tag_end else [])
                found = tag_speaker(ctx, before, addressees=spoken_to)
                if found.speaker or not tag.speaker:
                    tag, chunk = found, before.chunk
        speaker, method, verb = tag.speaker, tag.method, tag.verb
        if tag.subject is not None and tag.subject.lower_ in GENDERED_PRONOUNS:
            # Also a pronoun coreference left unresolved: "…," she said.
            gender = GENDERED_PRONOUNS[tag.subject.lower_]
            state.pronoun_genders[i] = gender
            speaker = _in_conversation(ctx, state, i, speaker, gender)
            if speaker:
                method = method if tag.speaker else "anaphoric"
                speaker = _reconsider_pronoun(ctx, state, i, speaker, gender)
        if speaker and speaker not in results[i].addressees:
            results[i].speaker, results[i].method = speaker, method
            results[i].confidence = 0.95 if method == "explicit" else 0.85
            if verb is not None and chunk is not None:
                results[i].addressees += [
                    c
                    for c in (ctx.character_of_token(t, chunk) for t in addressee_tokens(verb))
                    if c and c != speaker and c not in results[i].addressees
                ]


def tag_speaker(ctx: Context, region: TagRegion, addressees: list[str] | tuple[str, ...] = ()) -> Tag:
    """Speaker named by a speech tag in `region`, tried at each of its candidate words in turn.

    The verb must sit close to the quote ("…," Mr. Elton warmly added / Emma exclaimed, "…"):
    the region's candidates are only those within `max_verb_distance` of it.
    """
    chunk, tokens, inside = region.chunk, region.tokens, region.positions
    if chunk is None:
        return NO_TAG  # no parsed text there at all
    for candidate in region.candidates:
        token, parsed = candidate.token, candidate.parsed
        if candidate.noun:
            speaker = _possessed_speech(ctx, token, chunk, tokens[: candidate.position])
            if speaker:
                return Tag(speaker, "explicit", token, None)
        if not candidate.verb_like:
            continue
        # The parser sometimes takes a name inside the quote for the verb's subject
        # ("Really, Mr. Collins," cried Elizabeth): only the tag's own words can be it.
        # A mis-tagged verb ("sneered" as an adjective) has no usable dependents at all.
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS and c.i in inside] if parsed else []
        # "…looked at Ben, who said, "…"": the relative pronoun stands for the noun it follows.
        subjects = [token.head if c.lower_ in ("who", "that") and token.dep_ == "relcl" else c for c in subjects]
        for subject in subjects:
            character = ctx.speaker_of(subject, chunk, addressees)
            if character:
                method = "anaphoric" if subject.pos_ in ("PRON", "NOUN") else "explicit"
                return Tag(character, method, token, subject)
        for subject in subjects:
            role = ctx.roles.role(subject, chunk)
            if role:
                return Tag(role, "anaphoric", token, subject)
        if subjects:
            return Tag(None, "nominal", token, subjects[0])
        before = token.doc[token.i - 1] if token.i - 1 in inside else None
        if before is not None and before.dep_ == "aux" and before.head.i == token.i and before.text[:1].isupper():
            # "May said" / "Will answered": a name the parser read as a modal of the verb.
            character = ctx.character_of_token(before, chunk)
            if character:
                return Tag(character, "explicit", token, before)
        # "…," replied Harriet / said the gallant Mr. Elton: the parser often misses the
        # inverted subject; take the first character named right after the verb.
        for follower in token.doc[token.i + 1 : token.i + 8]:
            if follower.text in (".", "!", "?", ";", '"', "“", "”") or follower.lower_ == "to":
                break  # "said to Marilla": the addressee, not an inverted subject
            if follower.dep_ == "poss":  # "rejoined his companion": not "he"
                kin = ctx.kin_of(follower.head, chunk, addressees)
                return Tag(kin, "anaphoric", token, follower.head) if kin else Tag(None, "nominal", token, None)
            character = ctx.speaker_of(follower, chunk, addressees)
            if character:
                return Tag(character, "anaphoric" if follower.pos_ == "PRON" else "explicit", token, follower)
            if follower.head.i == token.i and follower.dep_ == "dobj":  # "replied the officer", parsed as an object
                role = ctx.roles.role(follower, chunk)
                if role:
                    return Tag(role, "anaphoric", token, follower)
        if parsed and not any(c.dep_ in SUBJECT_DEPS for c in token.children):
            # "Milly said," with the name mis-parsed as a modifier, or a subject shared
            # with the clause the verb hangs from ("a page came to their table to say,").
            previous = (
                [token.doc[token.i - 1]] if token.i - 1 in inside and token.doc[token.i - 1].pos_ == "PROPN" else []
            )
            for subject in previous + _shared_subject(ctx, token, chunk):
                character = ctx.speaker_of(subject, chunk, addressees) or ctx.roles.role(subject, chunk)
                if character:
                    return Tag(
                        character, "anaphoric" if subject.pos_ in ("PRON", "NOUN") else "explicit", token, subject
                    )
        if not parsed and token.i > 0 and token.i - 1 in inside:  # "…," Oakley sneered.
            character = ctx.character_of_token(token.doc[token.i - 1], chunk)
            if character:
                return Tag(character, "explicit", token, token.doc[token.i - 1])
    return NO_TAG


def _shared_subject(ctx: Context, verb: Any, chunk: Any) -> list[Any]:
    """The subject a subjectless speech verb shares with the verb it hangs from ("Matthew
    opened his eyes and said decidedly:", "Mr. Beebe ventured to say:", "Lucy rose to her
    feet, exclaiming:") — in narration, never a word inside a quotation."""
    head = verb
    while head.dep_ in ("conj", "xcomp", "advcl") and head.head is not head:
        head = head.head
        subjects = [c for c in head.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            return [
                c
                for c in subjects
                if c.i < verb.i
                and chunk.offset + c.idx not in ctx.quote_index
                and not ctx.paragraphs.between(chunk.offset + c.idx, chunk.offset + verb.idx)
            ]
    return []


def _possessed_speech(ctx: Context, noun: Any, chunk: Any, before: list[Any]) -> str | None:
    """ "…," was Frank's reply: the possessor of a speech noun that follows the copula."""
    if not any(t.lemma_ == "be" for t in before):
        return None
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    return ctx.character_of_token(possessor, chunk) if possessor is not None else None


def _reconsider_pronoun(ctx: Context, state: State, i: int, speaker: str, gender: str) -> str:
    """ "…," said she — in a new turn, "she" is rarely whoever spoke the previous turn.

    Coreference picks the most salient woman, often the one who just spoke; if another woman
    is in the conversation (spoke the turn before, or was addressed by name), she answers.
    (Overriding coreference whenever it names someone outside the conversation was tried
    and lost more quotes than it won on PDNC.)
    """
    if i == 0:
        return speaker
    results = state.results
    prev = results[i - 1]
    quote, prev_quote = ctx.quotes[i], ctx.quotes[i - 1]
    if prev.speaker != speaker or quote.start - prev_quote.end > ctx.tags.conversation_gap_chars:
        return speaker
    if ctx.paragraphs and not ctx.paragraphs.between(prev_quote.end, quote.start):
        return speaker  # same paragraph: the same speaker going on
    others = [a for a in prev.addressees if a != speaker]
    before_previous = results[i - 2].speaker if i >= 2 else None
    if before_previous and before_previous != speaker:
        others.insert(0, before_previous)
    return next((o for o in others if ctx.gender(o) == gender), speaker)


def _in_conversation(ctx: Context, state: State, i: int, speaker: str | None, gender: str) -> str | None:
    """ "…," he said — when coreference names someone who takes no part in the conversation
    (neither spoke, nor was addressed, nor named in the narration around it), the one
    participant of that gender is meant."""
    results, first = state.results, state.conversation_start[i]
    quote = ctx.quotes[i]
    participants = [c for j in range(first, i) for c in (results[j].speaker, *results[j].addressees) if c]
    window = ctx.mentions.within(max(0, ctx.quotes[first].start - ctx.settings.scene_setting_chars), quote.start)
    participants += [m.character for m in window if m.kind == "name" and m.start not in ctx.quote_index]
    if speaker in participants:
        return speaker
    candidates = {c for c in participants if ctx.gender(c) == gender and c not in results[i].addressees}
    return candidates.pop() if len(candidates) == 1 else speaker
