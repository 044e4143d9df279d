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
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..ao3vocab import READER_PLACEHOLDER
from ..speech import TAG_VERBS
from .names import FAMILY_NAME_PARTICLES, HONORIFICS, first_name_gender, given_name_count
from .settings import CharacterSettings

# Labels that make spaCy's vote "not a person".
NON_PERSON_LABELS = {
    "GPE",
    "LOC",
    "FAC",
    "ORG",
    "NORP",
    "PRODUCT",
    "WORK_OF_ART",
    "EVENT",
    "LAW",
    "LANGUAGE",
    "DATE",
    "TIME",
    "PERCENT",
    "MONEY",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
}
# Interjections, which open so many quotes that a capital and a "!" make them look like names. A
# list entry is evidence, not a veto: a word can be both ("Pooh", "Hem"), so a lone one is still
# a candidate, and the name model weighs its membership against how the work uses it.
INTERJECTIONS = {
    "hullo",
    "hallo",
    "halloa",
    "halloo",
    "aha",
    "oho",
    "ahem",
    "hem",
    "humph",
    "umph",
    "h'm",
    "hm",
    "mm",
    "bah",
    "pah",
    "pooh",
    "pshaw",
    "tut",
    "tush",
    "pish",
    "fie",
    "alack",
    "hist",
    "hark",
    "whew",
    "phew",
    "heigho",
    "hey-ho",
    "hurrah",
    "hurray",
    "hooray",
    "huzza",
    "bravo",
    "golly",
    "gosh",
    "goodness",
    "gracious",
    "drat",
    "egad",
    "gad",
    "gadzooks",
    "zounds",
    "jove",
    "lor",
    "lor'",
    "lawks",
    "lawk",
    "eh",
    "ahoy",
    "pfui",
    "oops",
    "amen",
    "farewell",
    "goodbye",
    "good-bye",
    "adieu",
    "bonjour",
    "gawd",
}
# Capitalised words that are not names even when tagged PROPN (the interjections only when
# another name follows: "Hullo Kylo").
NOT_NAMES = INTERJECTIONS | {
    "i",
    "oh",
    "ah",
    "okay",
    "ok",
    "yes",
    "no",
    "well",
    "hey",
    "hi",
    "hello",
    "god's",
    "chapter",
    "part",
    "prologue",
    "epilogue",
    "notes",
    "note",
    "summary",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "christmas",
    "easter",
    "english",
    "french",
    "mum",
    "mom",
    "dad",
    "papa",
    "mama",
    "mamma",
    "sir",
    "madam",
    "ma'am",
    "miss",
    "mister",
    "lord",
    "lady",
    "master",
    "mistress",
    "heaven",
    "hell",
    "o",
    "ha",
    "aye",
    "nay",
    "alas",
    "hush",
    "please",
    "thank",
    "thanks",
    "dear",
    "darling",
    "love",
    "honey",
    "the",
    "a",
    "an",
    "and",
    "but",
    "or",
    "if",
    "then",
    "so",
    "what",
    "why",
    "how",
    "who",
    "when",
    "where",
    "y/n",
    "l/n",
    "mr",
    "mrs",
    "ms",
    "dr",
    "mx",
    "shh",
    "hmm",
    "um",
    "uh",
    "ugh",
    "wow",
    "huh",
    "myself",
    "yourself",
    "himself",
    "herself",
    "you",
    "he",
    "she",
    "we",
    "they",
    "me",
    "him",
    "her",
    "us",
    "them",
    "my",
    "your",
    "his",
    "our",
    "their",
    "it",
    "its",
    "this",
    "that",
    "there",
    "here",
    "now",
    "today",
    "tonight",
    "tomorrow",
    # kin words and forms of address said as vocatives ("Come here, Son", "Yes, Your Majesty")
    "son",
    "sonny",
    "daughter",
    "majesty",
    "highness",
    "lordship",
    "ladyship",
    "excellency",
}
# Last words that make a capitalised phrase a place, not a person ("Gull Head", "Kellynch Hall").
PLACE_HEADS = {
    "head",
    "point",
    "hall",
    "house",
    "street",
    "road",
    "lane",
    "park",
    "square",
    "abbey",
    "castle",
    "manor",
    "court",
    "inn",
    "church",
    "bridge",
    "river",
    "lake",
    "island",
    "isle",
    "bay",
    "harbour",
    "harbor",
    "station",
    "hill",
    "hills",
    "wood",
    "woods",
    "forest",
    "valley",
    "mountain",
    "mountains",
    "mount",
    "cove",
    "tower",
    "gate",
    "place",
    "drive",
    "avenue",
    "home",
    "school",
    "college",
    "university",
    "hospital",
    "cathedral",
    "palace",
    "farm",
    "mill",
    "field",
    "fields",
    "county",
    "city",
    "town",
    "village",
    "sea",
    "ocean",
    "base",
    "academy",
    "tavern",
    "hotel",
    "bar",
    "cafe",
    "café",
    "restaurant",
    "shop",
    "store",
    "market",
    "temple",
    # organisations named like people: "Blue Squadron", "Night Watch", "Home Office"
    "squadron",
    "squad",
    "fleet",
    "army",
    "navy",
    "regiment",
    "battalion",
    "company",
    "corps",
    "legion",
    "watch",
    "office",
    "council",
    "ministry",
    "society",
    "club",
    "order",
    "guild",
    "brigade",
    "division",
}
# Verbs whose subject is almost always a person in fiction.
PERSON_VERBS = {
    "say",
    "ask",
    "reply",
    "answer",
    "whisper",
    "shout",
    "cry",
    "mutter",
    "murmur",
    "exclaim",
    "laugh",
    "smile",
    "grin",
    "sigh",
    "nod",
    "shrug",
    "frown",
    "growl",
    "roar",
    "hiss",
    "retort",
    "taunt",
    "tell",
    "think",
    "know",
    "feel",
    "want",
    "love",
    "hate",
    "kiss",
    "hug",
    "look",
    "stare",
    "glance",
    "watch",
    "walk",
    "run",
    "sit",
    "stand",
    "sob",
    "weep",
    "scream",
    "yell",
    "speak",
    "talk",
    "call",
    "reply",
    "remember",
    "wonder",
    "decide",
    "believe",
    "hope",
    "wish",
    "marry",
    "flinch",
    "blush",
    "giggle",
    "chuckle",
    "snort",
    "scoff",
    "pout",
    "beg",
    "promise",
    "confess",
    "admit",
    "insist",
    "continue",
    "add",
    "begin",
    "explain",
    "agree",
    "mumble",
    "groan",
    "gasp",
    "breathe",
    "swallow",
    "tense",
    "lean",
    "turn",
    "reach",
    "grab",
    "hold",
    "pull",
    "push",
    "step",
    "wake",
    "sleep",
    "die",
    "kill",
    "write",
    "read",
    "hear",
    "see",
    "notice",
    "realize",
    "realise",
    "furrow",
}
BODY_AND_KIN = {
    "eyes",
    "eye",
    "face",
    "hand",
    "hands",
    "hair",
    "voice",
    "lips",
    "mouth",
    "head",
    "arm",
    "arms",
    "heart",
    "mind",
    "father",
    "mother",
    "brother",
    "sister",
    "son",
    "daughter",
    "wife",
    "husband",
    "friend",
    "uncle",
    "aunt",
    "cousin",
    "grandfather",
    "grandmother",
    "smile",
    "cheek",
    "cheeks",
    "shoulder",
    "shoulders",
    "body",
    "fingers",
    "chest",
    "back",
    "room",
    "bed",
    "gaze",
    "expression",
    "brow",
    "forehead",
    "jaw",
    "neck",
    "skin",
}
# Adjectives that, placed before a bare name, mark it as a person ("poor Ardwick", "old Brannigan",
# "the late Tobias Wren"); a place is rarely pitied, aged or mourned.
PERSON_ADJECTIVES = {
    "poor",
    "old",
    "young",
    "little",
    "dear",
    "dearest",
    "late",
    "beloved",
    "sweet",
    "kind",
    "pretty",
    "handsome",
    "beautiful",
    "brave",
    "wise",
    "honest",
    "faithful",
    "amiable",
    "unfortunate",
    "talented",
    "sainted",
    "worthy",
    "jealous",
    "envious",
    "charming",
    "gentle",
    "clever",
    "silly",
    "stupid",
    "innocent",
    "lovely",
    "cruel",
}
# Adjectives that stay outside a name's span: "my dear Watson" is a vocative phrase, and "poor X"
# is the narrator's sigh more than part of how X is named.
NOT_SPAN_ADJECTIVES = {"dear", "dearest", "poor"}
ROMAN_NUMERAL = re.compile(r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# Prepositions whose object is a place far more often than a person ("in Varneth", "near Varneth").
PLACE_PREPOSITIONS = {"in", "into", "near", "within", "throughout", "across", "inside", "outside", "towards", "toward"}
# Verbs of staying and arriving: "at X" / "to X" after them names a place ("arrived at Varneth").
STAY_VERBS = {"arrive", "live", "stay", "stop", "reside", "settle", "dwell", "remain", "land", "travel", "move"}
# Nouns whose "of X" is a place ("the province of Varneth") or a person ("the daughter of Ardwick").
PLACE_OF_HEADS = PLACE_HEADS | {
    "province",
    "plains",
    "plain",
    "kingdom",
    "parish",
    "state",
    "country",
    "region",
    "district",
    "shores",
    "shore",
    "banks",
    "streets",
    "borough",
    "capital",
    "suburbs",
    "outskirts",
    "county",
    "duchy",
    "empire",
    "republic",
}
PERSON_OF_HEADS = {
    "son",
    "daughter",
    "wife",
    "husband",
    "widow",
    "father",
    "mother",
    "brother",
    "sister",
    "friend",
    "servant",
    "heir",
    "niece",
    "nephew",
    "grandson",
    "granddaughter",
    "child",
    "children",
    "death",
    "name",
    "life",
    "reign",
}
# Common nouns that, in apposition to a name, make it a person ("Wren, the old sailor").
APPOSITION_PERSON_NOUNS = {
    "man",
    "woman",
    "boy",
    "girl",
    "lady",
    "gentleman",
    "fellow",
    "lad",
    "lass",
    "wife",
    "husband",
    "widow",
    "son",
    "daughter",
    "father",
    "mother",
    "brother",
    "sister",
    "friend",
    "servant",
    "master",
    "mistress",
    "maid",
    "nurse",
    "doctor",
    "captain",
    "commander",
    "officer",
    "scientist",
    "priest",
    "clergyman",
    "soldier",
    "sailor",
    "merchant",
    "lawyer",
    "clerk",
    "teacher",
    "student",
    "child",
    "cousin",
    "uncle",
    "aunt",
    "niece",
    "nephew",
    "king",
    "queen",
    "prince",
    "princess",
    "emperor",
    "sultan",
    "chief",
    "leader",
    "author",
    "poet",
    "painter",
    "artist",
    "writer",
    "hero",
    "heroine",
    "slave",
    "owner",
    "landlord",
    "landlady",
    "guest",
    "host",
    "stranger",
    "neighbour",
    "neighbor",
    "companion",
    "partner",
    "lover",
    "housekeeper",
    "butler",
    "governess",
}
TITLE_WORDS = {t for title in HONORIFICS for t in title.split()}


@dataclass
class NameCandidate:
    """One occurrence of a name. `start` may reach back over adjectives ("old Brannigan"), the span a
    reader would underline; `name_start` is where the name itself begins."""

    start: int
    end: int
    text: str
    has_title: bool = False
    ner_person: bool = False
    name_start: int = -1
    sentence_initial: bool = False
    title_only: bool = False  # "the General": a character known only by a capitalised role

    def __post_init__(self) -> None:
        if self.name_start < 0:
            self.name_start = self.start


@dataclass
class FormEvidence:
    """Votes for and against one surface form being a person, pooled over the work."""

    person: float = 0.0
    other: float = 0.0
    count: int = 0
    occurrences: list[NameCandidate] = field(default_factory=list)
    # Occurrences where the capital letter is explained by the position (sentence or quote start).
    sentence_initial: int = 0
    # Occurrences as the subject of a speech tag ("replied the Dodger"): only people speak.
    speech_subject: int = 0
    # How many occurrences showed each cue (syntax cues, NER labels, position, punctuation): the
    # name model's raw material, kept apart from the votes.
    cues: Counter = field(default_factory=Counter)
    # How often the work spells the form in lower case ("hope" beside "Hope!").
    lowercase_count: int = 0


def normalise_form(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().strip(".,;:!?'\"").strip()


def _in_capitals(word: str) -> bool:
    """ "HOWARD", "McBRIDE": a word of two or more letters written (almost) all in capitals."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


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
        word = text.lower().rstrip(".")
        return word not in NOT_NAMES or word in TITLE_WORDS or word in INTERJECTIONS
    return text.lower().rstrip(".") in TITLE_WORDS and token.i + 1 < len(token.doc) and token.nbor(1).pos_ == "PROPN"


def _runs(doc, sent_starts: set[int]):
    """Maximal runs of capitalised proper-noun tokens (with leading titles)."""
    run: list = []
    for token in doc:
        after_title = run and run[-1].text.endswith(".") and run[-1].text.lower().rstrip(".") in TITLE_WORDS
        if after_title and token.is_space and token.text.count("\n") == 1:
            continue  # "said Mrs.⏎Wilcox": a hard-wrapped line keeps the title with its name
        if _is_name_token(token) and not (run and token.i in sent_starts and not after_title):
            run.append(token)
            continue
        if run and _continues_name_with_particle(token):
            run.append(token)  # "Mr. van der Luyden", "Ludwig van Beethoven"
            continue
        if _joins_hyphenated_name(token) and (run or token.nbor(-1).text[:1].isupper()):
            # "Obi-Wan Kenobi" is one name, not "Obi" and "Wan Kenobi" (a sentence-initial "Obi"
            # may not be tagged a proper noun)
            run = (run or [token.nbor(-1)]) + [token]
            continue
        if run:
            yield run
        run = [token] if _is_name_token(token) else []
    if run:
        yield run


def _leading_non_name(run) -> bool:
    """Whether the run's first word is no part of the name ("Okay" in "Okay Kylo"). A lone
    interjection stays a candidate for the name model to judge."""
    word = run[0].text.lower().rstrip(".")
    if word in TITLE_WORDS:
        return False
    if word in INTERJECTIONS:
        return len(run) > 1
    return word in NOT_NAMES


def _joins_hyphenated_name(token) -> bool:
    """Whether `token` is a hyphen written tight between two capitalised name parts ("Obi-Wan",
    "Jean-Luc"): spaCy splits these at the hyphen."""
    doc = token.doc
    return (
        token.text in ("-", "‐")
        and token.i > 0
        and not doc[token.i - 1].whitespace_
        and not token.whitespace_
        and token.i + 1 < len(doc)
        and _is_name_token(doc[token.i + 1])
    )


def _continues_name_with_particle(token) -> bool:
    """Whether `token` is a lower-case family-name particle inside a name ("van" and "der" in
    "Mr. van der Luyden"): only when a capitalised name follows, since "van", "de" or "la" alone
    are ordinary words, and never a number ("ten" in "Fred ten Sickles")."""
    doc = token.doc
    i = token.i
    while i < len(doc) and doc[i].text in FAMILY_NAME_PARTICLES and not doc[i].like_num:
        i += 1
    return (
        i > token.i
        and i < len(doc)
        and doc[i].pos_ == "PROPN"
        and _is_name_token(doc[i])
        and doc[i].text.lower().rstrip(".") not in TITLE_WORDS
    )


def candidates_in(doc, offset: int) -> list[NameCandidate]:
    """Name candidates of one parsed chunk, with spans in work offsets."""
    person_ents = {}
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            for t in ent:
                person_ents[t.i] = ent
    # Token.is_sent_start scans the whole doc on every call in spaCy 3; ask once per doc.
    sent_starts = {sent.start for sent in doc.sents}
    doc_text = doc.text  # Doc.text rebuilds the string on every access
    found = []
    for run in _runs(doc, sent_starts):
        # Trim leading non-title words that aren't names ("Okay" before "Kylo").
        while run and _leading_non_name(run):
            run = run[1:]
        # A chapter number run into the first name of the chapter ("II Mrs. Pontellier"), or a
        # capitalised "Poor" opening a sentence, is not part of the name.
        while len(run) > 1 and (ROMAN_NUMERAL.fullmatch(run[0].text) or run[0].lower_ in NOT_SPAN_ADJECTIVES):
            run = run[1:]
        # A name in capitals ends where ordinary capitalisation starts: a heading's name runs
        # into the next line's place or name ("LADY HOWARD⏎Berry Hill").
        for i in range(1, len(run)):
            if (
                _in_capitals(run[i - 1].text)
                and not _in_capitals(run[i].text)
                and run[i - 1].lower_.rstrip(".") not in TITLE_WORDS
            ):
                run = run[:i]
                break
        role = _role_title(run, offset)
        if role is not None:
            found.append(role)
            continue
        while run and run[-1].text.lower().rstrip(".") in TITLE_WORDS:
            run = run[:-1]  # a title alone at the end is not part of a name
        title_len = _title_len(run)
        core = run[title_len:]
        if not core:
            continue
        start = run[0].idx
        end = core[-1].idx + len(core[-1].text)
        text = doc_text[start:end]
        found.append(
            NameCandidate(
                start=offset + _modifier_start(run),
                end=offset + end,
                text=normalise_form(text),
                has_title=title_len > 0,
                ner_person=any(t.i in person_ents for t in core),
                name_start=offset + start,
                sentence_initial=_starts_sentence(run[0], sent_starts),
            )
        )
    return found


# Roles that, capitalised after "the", name one particular person ("the General", "the Doctor",
# "the Marchioness"); address forms like Mr. or Sir need a name after them.
ROLE_TITLES = {
    "general",
    "colonel",
    "major",
    "captain",
    "commander",
    "admiral",
    "lieutenant",
    "sergeant",
    "doctor",
    "professor",
    "king",
    "queen",
    "prince",
    "princess",
    "duke",
    "duchess",
    "count",
    "countess",
    "baron",
    "baroness",
    "marquis",
    "marquess",
    "marchioness",
    "emperor",
    "empress",
    "rector",
    "vicar",
    "bishop",
    "cardinal",
    "pope",
    "inspector",
    "detective",
    "judge",
    "governor",
    "president",
    "chancellor",
    "senator",
    "mayor",
    "marshal",
    "abbot",
    "abbess",
    "squire",
    "earl",
    "viscount",
    "archduke",
    "tsar",
    "czar",
    "sultan",
    "grandmother",
    "grandfather",  # "the Grandmother", capitalised: the family's one
}


def _role_title(run, offset: int) -> NameCandidate | None:
    """A title-only candidate ("the General") or None. Its mentions are nominal, not names."""
    words = [t.text.lower().rstrip(".") for t in run]
    if not words or len(words) > 2 or words[-1] not in ROLE_TITLES or not all(t.text[0].isupper() for t in run):
        return None
    first, last = run[0], run[-1]
    if first.i == 0 or first.nbor(-1).lower_ != "the":
        return None
    if last.i + 1 < len(last.doc) and last.nbor(1).lower_ == "of":
        return None  # "the Duke of X": leave it to the full name
    start = first.nbor(-1).idx
    return NameCandidate(
        start=offset + start,
        end=offset + last.idx + len(last.text),
        text="the " + " ".join(t.text for t in run),
        has_title=True,
        name_start=offset + start,
        title_only=True,
    )


def _modifier_start(run) -> int:
    """Where the noun phrase of a name begins once its lower-case adjectives are included.

    A reader (and LitBank) underlines "old Brannigan" and "the late Tobias Wren", not just the
    name; a bare determiner is left out ("the Quillon" is no person's name anyway)."""
    doc = run[0].doc
    name_ids = {t.i for t in run}  # adjectives may hang on the title: "the late Mr. Wren"
    i = run[0].i
    while i > 0:
        token = doc[i - 1]
        if (
            token.dep_ == "amod"
            and token.pos_ == "ADJ"
            and token.head.i in name_ids
            and token.text.islower()
            and token.lower_ not in NOT_SPAN_ADJECTIVES
        ):
            i -= 1
        else:
            break
    if i < run[0].i and i > 0:
        token = doc[i - 1]
        if token.dep_ == "det" and token.head.i in name_ids and token.lower_ in ("the", "a", "an"):
            i -= 1
    return doc[i].idx


def _starts_sentence(token, sent_starts: set[int]) -> bool:
    """Is the token first in its sentence, or first inside a quotation or after a colon?"""
    if token.i in sent_starts or token.i == 0:
        return True
    before = token.nbor(-1)
    return before.is_punct and before.text in ("“", '"', "‘", "'", ":", "—", "--", "(", "[")


# Person evidence from how a name is used in its sentence: each cue and its vote. The cues are
# also the name model's features (name_model.py), so they are named once, here.
SYNTAX_CUE_VOTES = {
    "subject_of_person_verb": 1.0,
    "subject_of_verb": 0.4,
    "possessor_of_body_or_kin": 1.0,
    "object_of_person_verb": 0.5,
    "vocative": 0.5,
    "person_adjective": 1.0,
    "person_apposition": 1.0,
    "after_article": -1.0,
    "after_place_preposition": -1.0,
    "of_place_noun": -1.0,
    "of_person_noun": 0.7,
    "at_after_stay_verb": -1.0,
    "after_at_to_from_on": -0.3,
}
OBJECT_PERSON_VERBS = {"kiss", "hug", "tell", "ask", "love", "hate", "kill", "marry", "meet", "thank"}


def _syntax_cues(span_tokens, in_quote: bool) -> list[str]:
    """The syntax cues of one occurrence (keys of SYNTAX_CUE_VOTES), in a fixed order."""
    head = span_tokens[-1]
    cues = []
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_ in PERSON_VERBS:
        cues.append("subject_of_person_verb")
    elif head.dep_ == "nsubj" and head.head.pos_ == "VERB":
        cues.append("subject_of_verb")
    if head.dep_ == "poss" and head.head.lemma_.lower() in BODY_AND_KIN:
        cues.append("possessor_of_body_or_kin")
    if head.dep_ == "dobj" and head.head.lemma_ in OBJECT_PERSON_VERBS:
        cues.append("object_of_person_verb")
    if in_quote and (head.dep_ in ("npadvmod", "intj", "vocative") or _is_vocative(span_tokens)):
        cues.append("vocative")
    if any(child.dep_ == "amod" and child.lower_ in PERSON_ADJECTIVES for child in head.children):
        cues.append("person_adjective")
    if any(child.dep_ == "appos" and child.lemma_.lower() in APPOSITION_PERSON_NOUNS for child in head.children):
        cues.append("person_apposition")
    first = span_tokens[0]
    if (
        first.i > 0
        and first.nbor(-1).lower_ in ("the", "a", "an")
        and not first.text.lower().rstrip(".") in TITLE_WORDS
    ):
        cues.append("after_article")
    preposition = _preposition_cue(head)
    if preposition:
        cues.append(preposition)
    return cues


def _preposition_cue(head) -> str | None:
    """Evidence from the preposition governing the name: places are where things happen."""
    if head.dep_ != "pobj":
        return None
    prep = head.head
    word = prep.lower_
    governor = prep.head
    if word in PLACE_PREPOSITIONS:
        return "after_place_preposition"
    if word == "of" and governor.pos_ == "NOUN":
        if governor.lemma_.lower() in PLACE_OF_HEADS:
            return "of_place_noun"
        if governor.lemma_.lower() in PERSON_OF_HEADS:
            return "of_person_noun"
    if word in ("at", "to", "from", "on"):
        return "at_after_stay_verb" if governor.lemma_ in STAY_VERBS else "after_at_to_from_on"
    return None


def _speech_subject(head) -> bool:
    """ "the Dodger said" / "said the Dodger"; an inverted subject is often parsed as an object
    ("replied the Dodger"), so a name right after the verb counts too."""
    if head.head.lemma_.lower() not in TAG_VERBS:
        return False
    return head.dep_ == "nsubj" or (head.dep_ == "dobj" and 0 < head.i - head.head.i <= 3)


def _is_vocative(tokens) -> bool:
    doc = tokens[0].doc
    before = doc[tokens[0].i - 1].text if tokens[0].i > 0 else ""
    after = doc[tokens[-1].i + 1].text if tokens[-1].i + 1 < len(doc) else ""
    return before in (",", "“", '"', "‘") and after in (",", ".", "!", "?", "”", '"', "’")


def collect_name_evidence(chunks, quotes, settings: CharacterSettings = CharacterSettings()) -> dict[str, FormEvidence]:
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
            in_quote = cand.name_start in quotes
            span = doc.char_span(cand.name_start - chunk.offset, cand.end - chunk.offset, alignment_mode="expand")
            tokens = list(span) if span is not None else []
            syntax_cues = _syntax_cues(tokens, in_quote) if tokens else []
            syntax = sum(SYNTAX_CUE_VOTES[cue] for cue in syntax_cues)
            ev.cues.update(syntax_cues)
            ev.cues.update(_occurrence_cues(doc, tokens, cand, in_quote, label_at))
            if cand.has_title:
                ev.person += 2.0
            if cand.ner_person:
                ev.person += 1.0
            elif tokens and label_at.get(tokens[-1].i) in NON_PERSON_LABELS:
                # The small model's ORG/GPE on a rare name is weak; a person's role in the
                # sentence outweighs it.
                ev.other += 0.7 if syntax < 0.5 else 0.35
            ev.person += syntax
            if tokens and not in_quote and _speech_subject(tokens[-1]):
                ev.speech_subject += 1
            if cand.sentence_initial:
                ev.sentence_initial += 1
    lowercase = _lowercase_counts(chunks)
    for form, ev in evidence.items():
        ev.lowercase_count = lowercase.get(form.lower(), 0)
    _vote_against_common_words(evidence, set(lowercase), settings)
    _vote_for_titled_surnames(evidence)
    return evidence


def _occurrence_cues(doc, tokens, cand: NameCandidate, in_quote: bool, label_at: dict) -> list[str]:
    """Cues of one occurrence besides its syntax: what NER and the tagger made of it, where it
    stands, and the punctuation after it ("Hush!" and "Ahoy," open quotes as names rarely do)."""
    cues = []
    if cand.has_title:
        cues.append("title")
    if cand.ner_person:
        cues.append("ner_person")
    elif tokens and label_at.get(tokens[-1].i) in NON_PERSON_LABELS:
        cues.append("ner_other")
        if label_at[tokens[-1].i] in ("GPE", "LOC", "FAC"):
            cues.append("ner_place")
    else:
        cues.append("ner_none")
    cues.append("sentence_initial" if cand.sentence_initial else "mid_sentence")
    if in_quote:
        cues.append("in_quote")
    if not tokens:
        return cues
    head = tokens[-1]
    if head.pos_ != "PROPN":
        cues.append("head_not_propn")
    if _speech_subject(head):
        cues.append("speech_subject_in_quote" if in_quote else "speech_subject")
        if not in_quote and head.i > head.head.i:
            cues.append("speech_subject_after_verb")  # "said Pooh": no "Halloa!" misparsed as a subject
    after = doc[head.i + 1] if head.i + 1 < len(doc) else None
    if after is not None:
        if after.text == "!":
            cues.append("exclamation_after")
        elif after.text in ("'s", "’s", "'", "’") and after.tag_ == "POS":
            cues.append("possessive")
        elif after.text == "," and cand.sentence_initial:
            cues.append("initial_comma_after")
    if any(_in_capitals(t.text) for t in tokens):
        cues.append("in_capitals")
    return cues


def _vote_for_titled_surnames(evidence: dict[str, FormEvidence]) -> None:
    """A bare name that also appears after a title ("Quillfeather" beside "Mr. Quillfeather") is that
    person's name, whatever the NER made of the bare occurrences — provided its own use leans
    that way at all: "Lady Ashcombe" is named after the estate "at Ashcombe"."""
    titled_tails = set()
    for form, ev in evidence.items():
        words = form.split()
        if len(words) > 1 and any(o.has_title for o in ev.occurrences):
            for n in range(1, len(words)):
                titled_tails.add(" ".join(words[n:]))
    for form, ev in evidence.items():
        if form in titled_tails and ev.person > 0 and not any(o.has_title for o in ev.occurrences):
            ev.person += 1.0 * ev.count


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")


def _lowercase_counts(chunks) -> Counter:
    """How often the story spells each word in lower case (a regex over the text: far cheaper
    than walking spaCy tokens)."""
    return Counter(w for chunk in chunks for w in _LOWER_WORD.findall(chunk.doc.text))


def _vote_against_common_words(
    evidence: dict[str, FormEvidence], vocabulary: set[str], settings: CharacterSettings
) -> None:
    """A word capitalised only where every word is ("Nonsense!", "Silence ensued") and written in
    lower case elsewhere in the same work is an ordinary word, not a name."""
    for form, ev in evidence.items():
        if " " in form or ev.sentence_initial < ev.count or form.lower() not in vocabulary:
            continue
        if any(o.has_title for o in ev.occurrences) or given_name_count(form) >= settings.common_given_name_births:
            continue
        ev.other += 2.0 * ev.count


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


def is_person(ev: FormEvidence, settings: CharacterSettings = CharacterSettings()) -> bool:
    """Whether the votes make the form a person (`CharacterSettings`: epithet_speech_tags,
    single_word_margin)."""
    if ev.speech_subject >= settings.epithet_speech_tags and ev.speech_subject * 10 >= ev.count:
        return True
    if ev.person <= 0 or ev.person < ev.other:
        return False
    single_word = bool(ev.occurrences) and " " not in ev.occurrences[0].text
    return not single_word or ev.person - ev.other >= settings.single_word_margin


def placeholder_mentions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of Y/N-style placeholders (the Reader's name) inside text[start:end]."""
    return [(m.start(), m.end()) for m in READER_PLACEHOLDER.finditer(text, start, end)]
