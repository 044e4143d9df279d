"""Finding the proper-name mentions of people.

spaCy's small model is a poor judge of fantasy names (it tags "Kylo" as ORG and "Han" as NORP),
so its NER label is one vote among several. Every capitalised proper-noun run is a candidate;
evidence for "person" comes from the NER label, a preceding title (Mr., General, Supreme
Leader…), the knowledge base, the first-name list, and the syntax around each occurrence (the
subject of a speech or action verb, a vocative, a possessor of body parts or kin). Evidence is
pooled per surface form over the whole work, so one clear "Kylo roared" settles every "Kylo".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .names import HONORIFICS, first_name_gender

# Labels that make spaCy's vote "not a person".
NON_PERSON_LABELS = {"GPE", "LOC", "FAC", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE",
                     "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
# Capitalised words that are not names even when tagged PROPN.
NOT_NAMES = {
    "i", "oh", "ah", "okay", "ok", "yes", "no", "well", "hey", "hi", "hello", "god's", "chapter", "part", "prologue",
    "epilogue", "notes", "note", "summary", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "christmas", "easter", "english", "french", "mum", "mom", "dad", "papa", "mama",
    "mamma", "sir", "madam", "ma'am", "miss", "mister", "lord", "lady", "master", "mistress", "heaven", "hell",
    "o", "ha", "aye", "nay", "alas", "hush", "please", "thank", "thanks", "dear", "darling", "love", "honey",
    "the", "a", "an", "and", "but", "or", "if", "then", "so", "what", "why", "how", "who", "when", "where",
    "y/n", "l/n", "mr", "mrs", "ms", "dr", "mx", "shh", "hmm", "um", "uh", "ugh", "wow", "huh", "myself", "yourself",
    "himself", "herself", "you", "he", "she", "we", "they", "me", "him", "her", "us", "them", "my", "your", "his",
    "our", "their", "it", "its", "this", "that", "there", "here", "now", "today", "tonight", "tomorrow",
}
# Last words that make a capitalised phrase a place, not a person ("Gull Head", "Kellynch Hall").
PLACE_HEADS = {
    "head", "point", "hall", "house", "street", "road", "lane", "park", "square", "abbey", "castle", "manor",
    "court", "inn", "church", "bridge", "river", "lake", "island", "isle", "bay", "harbour", "harbor", "station",
    "hill", "hills", "wood", "woods", "forest", "valley", "mountain", "mountains", "mount", "cove", "tower",
    "gate", "place", "drive", "avenue", "home", "school", "college", "university", "hospital", "cathedral",
    "palace", "farm", "mill", "field", "fields", "county", "city", "town", "village", "sea", "ocean", "base",
    "academy", "tavern", "hotel", "bar", "cafe", "café", "restaurant", "shop", "store", "market", "temple",
}
# Verbs whose subject is almost always a person in fiction.
PERSON_VERBS = {
    "say", "ask", "reply", "answer", "whisper", "shout", "cry", "mutter", "murmur", "exclaim", "laugh", "smile",
    "grin", "sigh", "nod", "shrug", "frown", "growl", "roar", "hiss", "retort", "taunt", "tell", "think", "know",
    "feel", "want", "love", "hate", "kiss", "hug", "look", "stare", "glance", "watch", "walk", "run", "sit",
    "stand", "sob", "weep", "scream", "yell", "speak", "talk", "call", "reply", "remember", "wonder", "decide",
    "believe", "hope", "wish", "marry", "flinch", "blush", "giggle", "chuckle", "snort", "scoff", "pout", "beg",
    "promise", "confess", "admit", "insist", "continue", "add", "begin", "explain", "agree", "mumble", "groan",
    "gasp", "breathe", "swallow", "tense", "lean", "turn", "reach", "grab", "hold", "pull", "push", "step",
    "wake", "sleep", "die", "kill", "write", "read", "hear", "see", "notice", "realize", "realise", "furrow",
}
BODY_AND_KIN = {
    "eyes", "eye", "face", "hand", "hands", "hair", "voice", "lips", "mouth", "head", "arm", "arms", "heart",
    "mind", "father", "mother", "brother", "sister", "son", "daughter", "wife", "husband", "friend", "uncle",
    "aunt", "cousin", "grandfather", "grandmother", "smile", "cheek", "cheeks", "shoulder", "shoulders", "body",
    "fingers", "chest", "back", "room", "bed", "gaze", "expression", "brow", "forehead", "jaw", "neck", "skin",
}
PLACEHOLDER = re.compile(r"[(\[]?\b(?:Y/N|y/n|Y/n|L/N|l/n|L/n)\b[)\]]?")
TITLE_WORDS = {t for title in HONORIFICS for t in title.split()}


@dataclass
class NameCandidate:
    start: int
    end: int
    text: str
    has_title: bool = False
    ner_person: bool = False


@dataclass
class FormEvidence:
    """Votes for and against one surface form being a person, pooled over the work."""

    person: float = 0.0
    other: float = 0.0
    count: int = 0
    occurrences: list[NameCandidate] = field(default_factory=list)


def normalise_form(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().strip(".,;:!?'\"").strip()


def _title_len(tokens) -> int:
    """How many leading tokens of `tokens` form a title (Mr. / Supreme Leader / Dr)."""
    words = [t.text.lower().rstrip(".") for t in tokens]
    for n in (2, 1):
        if len(words) > n and " ".join(words[:n]) in HONORIFICS:
            return n
    return 0


def _is_name_token(token) -> bool:
    text = token.text
    if not text or not text[0].isupper():
        return False
    if token.pos_ == "PROPN":
        return text.lower().rstrip(".") not in NOT_NAMES or text.lower().rstrip(".") in TITLE_WORDS
    return text.lower().rstrip(".") in TITLE_WORDS and token.i + 1 < len(token.doc) and token.nbor(1).pos_ == "PROPN"


def _runs(doc):
    """Maximal runs of capitalised proper-noun tokens (with leading titles)."""
    run = []
    for token in doc:
        after_title = run and run[-1].text.endswith(".") and run[-1].text.lower().rstrip(".") in TITLE_WORDS
        if _is_name_token(token) and not (run and token.is_sent_start and not after_title):
            run.append(token)
            continue
        if run:
            yield run
        run = [token] if _is_name_token(token) else []
    if run:
        yield run


def candidates_in(doc, offset: int) -> list[NameCandidate]:
    """Name candidates of one parsed chunk, with spans in work offsets."""
    person_ents = {}
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            for t in ent:
                person_ents[t.i] = ent
    found = []
    for run in _runs(doc):
        # Trim leading non-title words that aren't names ("Okay" before "Kylo").
        while run and run[0].text.lower().rstrip(".") in NOT_NAMES and run[0].text.lower().rstrip(".") not in TITLE_WORDS:
            run = run[1:]
        while run and run[-1].text.lower().rstrip(".") in TITLE_WORDS:
            run = run[:-1]  # a title alone at the end is not part of a name
        title_len = _title_len(run)
        core = run[title_len:]
        if not core:
            continue
        start = run[0].idx
        end = core[-1].idx + len(core[-1].text)
        text = doc.text[start:end]
        found.append(
            NameCandidate(
                start=offset + start,
                end=offset + end,
                text=normalise_form(text),
                has_title=title_len > 0,
                ner_person=any(t.i in person_ents for t in core),
            )
        )
    return found


def _syntax_votes(doc, span_tokens, in_quote: bool) -> float:
    """Person evidence from how the name is used in its sentence."""
    head = span_tokens[-1]
    vote = 0.0
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_ in PERSON_VERBS:
        vote += 1.0
    elif head.dep_ == "nsubj" and head.head.pos_ == "VERB":
        vote += 0.4
    if head.dep_ == "poss" and head.head.lemma_.lower() in BODY_AND_KIN:
        vote += 1.0
    if head.dep_ == "dobj" and head.head.lemma_ in {"kiss", "hug", "tell", "ask", "love", "hate", "kill", "marry", "meet", "thank"}:
        vote += 0.5
    if in_quote and (head.dep_ in ("npadvmod", "intj", "vocative") or _is_vocative(span_tokens)):
        vote += 0.5
    first = span_tokens[0]
    if first.i > 0 and first.nbor(-1).lower_ in ("the", "a", "an") and not first.text.lower().rstrip(".") in TITLE_WORDS:
        vote -= 1.0
    if first.i > 0 and first.nbor(-1).lower_ in ("in", "at", "to", "from", "on") and head.dep_ == "pobj":
        vote -= 0.3
    return vote


def _is_vocative(tokens) -> bool:
    doc = tokens[0].doc
    before = doc[tokens[0].i - 1].text if tokens[0].i > 0 else ""
    after = doc[tokens[-1].i + 1].text if tokens[-1].i + 1 < len(doc) else ""
    return before in (",", "“", '"', "‘") and after in (",", ".", "!", "?", "”", '"', "’")


def collect_name_evidence(chunks, quotes) -> dict[str, FormEvidence]:
    """Candidates of every chunk, with per-form person/other votes from NER and syntax."""
    evidence: dict[str, FormEvidence] = defaultdict(FormEvidence)
    for chunk in chunks:
        doc = chunk.doc
        label_at = {}
        for ent in doc.ents:
            for t in ent:
                label_at[t.i] = ent.label_
        for cand in candidates_in(doc, chunk.offset):
            form = cand.text
            ev = evidence[form]
            ev.count += 1
            ev.occurrences.append(cand)
            in_quote = cand.start in quotes
            span = doc.char_span(cand.start - chunk.offset, cand.end - chunk.offset, alignment_mode="expand")
            tokens = list(span) if span is not None else []
            if cand.has_title:
                ev.person += 2.0
            if cand.ner_person:
                ev.person += 1.0
            elif tokens and label_at.get(tokens[-1].i) in NON_PERSON_LABELS:
                ev.other += 0.7
            if tokens:
                ev.person += _syntax_votes(doc, tokens, in_quote)
    return evidence


def add_lexical_votes(evidence: dict[str, FormEvidence], kb_index) -> None:
    """Votes from what the name itself is: a KB character or place, a known given name."""
    for form, ev in evidence.items():
        words = form.split()
        if len(words) > 1 and words[-1].lower() in PLACE_HEADS:
            ev.other += 2.0 * ev.count
        kb_kind = kb_index.kind(form) if kb_index else None
        if kb_kind == "character":
            ev.person += 3.0 * ev.count
        elif kb_kind == "place":
            ev.other += 3.0 * ev.count
        first = form.split()[0]
        if first_name_gender(first) is not None and first.lower() not in NOT_NAMES:
            ev.person += 0.5 * ev.count


def is_person(ev: FormEvidence) -> bool:
    return ev.person > 0 and ev.person >= ev.other


def placeholder_mentions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of Y/N-style placeholders (the Reader's name) inside text[start:end]."""
    return [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text, start, end)]
