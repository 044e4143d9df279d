"""Name knowledge: titles, the parts of a personal name, nicknames and first-name gender.

Fiction names one person many ways ("Mr. Darcy", "Darcy", "Fitzwilliam Darcy"; "Elizabeth",
"Lizzy", "Eliza"), and the title or first name is often the only gender evidence before a pronoun
turns up. Alias merging and gender guessing both ask the questions answered here, so the answers
come from one place and from data shipped with the package (see docs/name-data.md):

* `given_names.tsv.gz` — US Social Security Administration baby-name counts (public domain),
* `nicknames.tsv` — diminutives from the Apache-2.0 `nicknames` dataset plus our own rows.

Everything is side-effect free; each data file is read once, on first use.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Mapping

from ..errors import EXIT_INTERNAL, FiclensError

__all__ = [
    "HONORIFICS",
    "HONORIFIC_SUFFIXES",
    "NameDataError",
    "NameParts",
    "are_nickname_variants",
    "canonical_given_names",
    "first_name_gender",
    "given_name_count",
    "split_name",
    "title_gender",
]

MALE = "male"
FEMALE = "female"

# How a title combines with a single name after it: "Mr. Darcy" names the family, "Sir Walter"
# and "Aunt Petunia" the person, and "Lady Catherine" / "Lord Voldemort" either (decided by
# whether the word is a known given name).
_FAMILY = "family"
_GIVEN = "given"
_EITHER = "either"

# (title as written without dots, gender it implies, what a lone name after it is).
_TITLE_ROWS: tuple[tuple[str, str | None, str], ...] = (
    # everyday address
    ("mr", MALE, _FAMILY),
    ("mister", MALE, _FAMILY),
    ("mrs", FEMALE, _FAMILY),
    ("missus", FEMALE, _FAMILY),
    ("miss", FEMALE, _EITHER),
    ("ms", FEMALE, _FAMILY),
    # Mx is chosen by people who do not want a gendered title; it implies no gender either way.
    ("mx", None, _FAMILY),
    ("master", MALE, _EITHER),
    ("mistress", FEMALE, _EITHER),
    ("madam", FEMALE, _FAMILY),
    ("madame", FEMALE, _FAMILY),
    ("mme", FEMALE, _FAMILY),
    ("mademoiselle", FEMALE, _FAMILY),
    ("mlle", FEMALE, _FAMILY),
    ("monsieur", MALE, _FAMILY),
    ("herr", MALE, _FAMILY),
    ("frau", FEMALE, _FAMILY),
    ("fraulein", FEMALE, _FAMILY),
    ("senor", MALE, _FAMILY),
    ("senora", FEMALE, _FAMILY),
    ("senorita", FEMALE, _FAMILY),
    ("signor", MALE, _FAMILY),
    ("signora", FEMALE, _FAMILY),
    ("signorina", FEMALE, _FAMILY),
    # learned and professional
    ("dr", None, _FAMILY),
    ("doctor", None, _FAMILY),
    ("doc", None, _FAMILY),
    ("professor", None, _FAMILY),
    ("prof", None, _FAMILY),
    ("headmaster", MALE, _FAMILY),
    ("headmistress", FEMALE, _FAMILY),
    ("principal", None, _FAMILY),
    ("coach", None, _FAMILY),
    ("nurse", None, _FAMILY),
    ("healer", None, _FAMILY),
    ("judge", None, _FAMILY),
    # knighthood and nobility
    ("sir", MALE, _GIVEN),
    ("dame", FEMALE, _GIVEN),
    ("ser", MALE, _GIVEN),
    ("lord", MALE, _EITHER),
    ("lady", FEMALE, _EITHER),
    ("dark lord", MALE, _EITHER),
    ("king", MALE, _GIVEN),
    ("queen", FEMALE, _GIVEN),
    ("high king", MALE, _GIVEN),
    ("high queen", FEMALE, _GIVEN),
    ("queen mother", FEMALE, _GIVEN),
    ("prince", MALE, _GIVEN),
    ("princess", FEMALE, _GIVEN),
    ("crown prince", MALE, _GIVEN),
    ("crown princess", FEMALE, _GIVEN),
    ("emperor", MALE, _GIVEN),
    ("empress", FEMALE, _GIVEN),
    ("tsar", MALE, _GIVEN),
    ("czar", MALE, _GIVEN),
    ("tsarina", FEMALE, _GIVEN),
    ("czarina", FEMALE, _GIVEN),
    ("sultan", MALE, _GIVEN),
    ("sultana", FEMALE, _GIVEN),
    ("pharaoh", None, _GIVEN),
    ("archduke", MALE, _GIVEN),
    ("archduchess", FEMALE, _GIVEN),
    ("grand duke", MALE, _GIVEN),
    ("grand duchess", FEMALE, _GIVEN),
    ("duke", MALE, _EITHER),
    ("duchess", FEMALE, _EITHER),
    ("count", MALE, _EITHER),
    ("countess", FEMALE, _EITHER),
    ("marquess", MALE, _EITHER),
    ("marquis", MALE, _EITHER),
    ("marchioness", FEMALE, _EITHER),
    ("marquise", FEMALE, _EITHER),
    ("viscount", MALE, _EITHER),
    ("viscountess", FEMALE, _EITHER),
    ("baron", MALE, _EITHER),
    ("baroness", FEMALE, _EITHER),
    ("khal", MALE, _GIVEN),
    ("khaleesi", FEMALE, _GIVEN),
    # religion
    ("father", MALE, _EITHER),
    ("mother", FEMALE, _EITHER),
    ("mother superior", FEMALE, _EITHER),
    ("reverend mother", FEMALE, _EITHER),
    ("sister", FEMALE, _GIVEN),
    ("brother", MALE, _GIVEN),
    ("fr", MALE, _FAMILY),
    ("saint", None, _GIVEN),
    ("pope", MALE, _GIVEN),
    ("rev", None, _FAMILY),
    ("revd", None, _FAMILY),
    ("reverend", None, _FAMILY),
    ("pastor", None, _FAMILY),
    ("rabbi", None, _FAMILY),
    ("imam", None, _FAMILY),
    ("parson", MALE, _FAMILY),  # an old word, from the centuries when the parish priest was a man
    ("archbishop", None, _FAMILY),
    ("cardinal", None, _FAMILY),
    ("septon", MALE, _GIVEN),
    ("septa", FEMALE, _GIVEN),
    ("maester", MALE, _GIVEN),
    ("high priestess", FEMALE, _EITHER),
    ("high priest", MALE, _EITHER),
    # family
    ("aunt", FEMALE, _GIVEN),
    ("auntie", FEMALE, _GIVEN),
    ("aunty", FEMALE, _GIVEN),
    ("uncle", MALE, _GIVEN),
    ("cousin", None, _GIVEN),
    ("grandma", FEMALE, _GIVEN),
    ("granny", FEMALE, _GIVEN),
    ("gran", FEMALE, _GIVEN),
    ("grandmother", FEMALE, _GIVEN),
    ("grandpa", MALE, _GIVEN),
    ("grandfather", MALE, _GIVEN),
    ("granddad", MALE, _GIVEN),
    ("grandad", MALE, _GIVEN),
    ("papa", MALE, _GIVEN),
    ("mama", FEMALE, _GIVEN),
    # military and police
    ("captain", None, _FAMILY),
    ("capt", None, _FAMILY),
    ("cpt", None, _FAMILY),
    ("general", None, _FAMILY),
    ("gen", None, _FAMILY),
    ("colonel", None, _FAMILY),
    ("col", None, _FAMILY),
    ("major", None, _FAMILY),
    ("maj", None, _FAMILY),
    ("lieutenant", None, _FAMILY),
    ("lt", None, _FAMILY),
    ("lieut", None, _FAMILY),
    ("admiral", None, _FAMILY),
    ("adm", None, _FAMILY),
    ("commander", None, _FAMILY),
    ("cmdr", None, _FAMILY),
    ("cdr", None, _FAMILY),
    ("commodore", None, _FAMILY),
    ("sergeant", None, _FAMILY),
    ("sgt", None, _FAMILY),
    ("corporal", None, _FAMILY),
    ("cpl", None, _FAMILY),
    ("private", None, _FAMILY),
    ("pvt", None, _FAMILY),
    ("ensign", None, _FAMILY),
    ("marshal", None, _FAMILY),
    ("field marshal", None, _FAMILY),
    ("brigadier", None, _FAMILY),
    ("brigadier general", None, _FAMILY),
    ("major general", None, _FAMILY),
    ("lieutenant general", None, _FAMILY),
    ("lieutenant colonel", None, _FAMILY),
    ("lieutenant commander", None, _FAMILY),
    ("rear admiral", None, _FAMILY),
    ("vice admiral", None, _FAMILY),
    ("grand admiral", None, _FAMILY),
    ("fleet admiral", None, _FAMILY),
    ("agent", None, _FAMILY),
    ("special agent", None, _FAMILY),
    ("detective", None, _FAMILY),
    ("det", None, _FAMILY),
    ("inspector", None, _FAMILY),
    ("insp", None, _FAMILY),
    ("chief inspector", None, _FAMILY),
    ("detective inspector", None, _FAMILY),
    ("detective sergeant", None, _FAMILY),
    ("superintendent", None, _FAMILY),
    ("supt", None, _FAMILY),
    ("officer", None, _FAMILY),
    ("constable", None, _FAMILY),
    ("sheriff", None, _FAMILY),
    ("deputy", None, _FAMILY),
    ("chief", None, _FAMILY),
    ("auror", None, _FAMILY),
    # government
    ("senator", None, _FAMILY),
    ("sen", None, _FAMILY),
    ("chancellor", None, _FAMILY),
    ("president", None, _FAMILY),
    ("vice president", None, _FAMILY),
    ("governor", None, _FAMILY),
    ("gov", None, _FAMILY),
    ("mayor", None, _FAMILY),
    ("minister", None, _FAMILY),
    ("prime minister", None, _FAMILY),
    ("ambassador", None, _FAMILY),
    ("councillor", None, _FAMILY),
    ("councilor", None, _FAMILY),
    ("councilman", MALE, _FAMILY),
    ("councilwoman", FEMALE, _FAMILY),
    ("congressman", MALE, _FAMILY),
    ("congresswoman", FEMALE, _FAMILY),
    ("representative", None, _FAMILY),
    ("rep", None, _FAMILY),
    ("hon", None, _FAMILY),
    ("honourable", None, _FAMILY),
    ("honorable", None, _FAMILY),
    # fandom ranks that stand where a title does
    ("supreme leader", None, _FAMILY),
    ("jedi master", None, _EITHER),
    ("jedi knight", None, _EITHER),
    ("grand master", None, _EITHER),
    ("darth", None, _FAMILY),
    ("grand moff", None, _FAMILY),
    ("moff", None, _FAMILY),
)

# Honorifics written after a name, mostly in anime and K-pop fandoms ("Naruto-kun", "Jimin-ssi").
_SUFFIX_ROWS: tuple[tuple[str, str | None], ...] = (
    ("san", None),
    ("sama", None),
    ("kun", MALE),
    ("chan", None),
    ("chama", None),
    ("tan", None),
    ("dono", None),
    ("sensei", None),
    ("senpai", None),
    ("sempai", None),
    ("kohai", None),
    ("kouhai", None),
    ("hime", FEMALE),
    ("nee", FEMALE),
    ("neesan", FEMALE),
    ("neechan", FEMALE),
    ("oneesan", FEMALE),
    ("nii", MALE),
    ("niisan", MALE),
    ("niichan", MALE),
    ("oniisan", MALE),
    ("ssi", None),
    ("nim", None),
    ("sunbae", None),
    ("sunbaenim", None),
    ("hyung", MALE),
    ("oppa", MALE),
    ("noona", FEMALE),
    ("nuna", FEMALE),
    ("unnie", FEMALE),
    ("eonni", FEMALE),
)

HONORIFICS: Mapping[str, str | None] = MappingProxyType({title: gender for title, gender, _ in _TITLE_ROWS})
"""Title written before a name, normalised (lower case, no dots, single spaces) → "male", "female"
or None."""

HONORIFIC_SUFFIXES: Mapping[str, str | None] = MappingProxyType(dict(_SUFFIX_ROWS))
"""Honorific written after a name and a hyphen ("kun" in "Naruto-kun") → gender or None. Kept
apart from HONORIFICS because these words are given or family names when they stand alone
("Chan", "San")."""

# Abbreviations that are also given names ("Gen" vs "Gen. Hux") count as titles only with their dot.
_TITLES_NEEDING_DOT = frozenset({"gen", "sen", "hon"})

_PREFIX_TITLE_KIND: Mapping[str, str] = MappingProxyType({t: kind for t, _, kind in _TITLE_ROWS})
_LONGEST_TITLE_WORDS = max(len(t.split()) for t in _PREFIX_TITLE_KIND)

# Generational and degree suffixes ("Jr.", "III", "PhD"). A lone "I" is a pronoun, not "the first".
_NAME_SUFFIX_RE = re.compile(
    r"^(jr|jnr|sr|snr|junior|senior|esq|esquire|phd|md|dds|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|xiii)$"
)
# Lower-case particles that begin a family name ("van Helsing", "de Winter", "of Tarth").
_PARTICLES = frozenset("van von der den de del della di da du des la le ter ten bin ibn al el of st".split())
# Capitalised particles that still begin a family name right after a title ("Mrs. Van Der
# Luyden"), unlike "Al" or "El", which are given names there ("Mr. Al Smith").
FAMILY_NAME_PARTICLES = frozenset("van von der den de del della di da du des la le ter ten".split())
_QUOTED_RE = re.compile(r"[\"“”«»][^\"“”«»]*[\"“”«»]|\([^)]*\)")
_POSSESSIVE_RE = re.compile(r"(?<=\w)(['’]s|(?<=s)['’])$", re.IGNORECASE)
_SUFFIX_HONORIFIC_RE = re.compile(r"^(?P<name>.+?)-(?P<suffix>[A-Za-z]+)$")


class NameDataError(FiclensError):
    """A data file shipped with ficlens is missing or damaged: a broken installation, not bad input."""

    exit_code = EXIT_INTERNAL


@dataclass
class NameParts:
    """The parts of one personal name as written; any part may be absent."""

    title: str | None = None
    first: str | None = None
    middle: list[str] = field(default_factory=list)
    last: str | None = None
    suffix: str | None = None


def _fold(text: str) -> str:
    """Lower-case ASCII letters only: the key both shipped data files use ("Zoë" → "zoe")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalpha()).lower()


def _title_key(text: str) -> str:
    """ "Vice-Admiral" → "vice admiral", "Mr." → "mr", "Señora" → "senora"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("-", " ").replace(".", " "))
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.lower().split())


def _strip_possessive(token: str) -> str:
    return _POSSESSIVE_RE.sub("", token)


def _match_title(tokens: list[str], start: int) -> int:
    """How many tokens from `start` form one known title (longest match), 0 if none."""
    for width in range(min(_LONGEST_TITLE_WORDS, len(tokens) - start), 0, -1):
        key = _title_key(" ".join(tokens[start : start + width]))
        if key in _TITLES_NEEDING_DOT and not tokens[start + width - 1].endswith("."):
            continue
        if key in _PREFIX_TITLE_KIND:
            return width
    return 0


def split_name(name: str) -> NameParts:
    """Split a personal name into title, first, middle, last and suffix.

    A lone name after a title is a family name ("Mr. Darcy") unless the title goes with given
    names ("Sir Walter", "Aunt Petunia"); after "Lady", "Lord", "Miss" and other titles that take
    either, it is a first name only when it is a known given name ("Lady Catherine" but "Lord
    Voldemort"). A lone name without a title is a first name ("Rey"). Quoted nicknames and
    parentheses ('Harold "Harry" Potter', "Jane (née Smith)") and a possessive "'s" are ignored.
    """
    text = _QUOTED_RE.sub(" ", name)
    suffix: str | None = None
    if text.count(",") == 1:
        before, after = (part.strip() for part in text.split(","))
        if _NAME_SUFFIX_RE.match(_title_key(after)):
            text, suffix = before, after.rstrip(".")
        elif before and after:
            text = f"{after} {before}"  # "Darcy, Fitzwilliam"
    tokens = [tok for tok in text.replace(",", " ").split() if tok.strip(".")]
    if tokens:
        tokens[-1] = _strip_possessive(tokens[-1])
        tokens = [tok for tok in tokens if tok]
    if len(tokens) > 1 and tokens[0].lower() == "the":
        tokens = tokens[1:]

    titles: list[str] = []
    title_kind = _FAMILY
    position = 0
    while position < len(tokens):
        width = _match_title(tokens, position)
        if not width or (titles and position + width == len(tokens)):
            break  # a title word after a title is the name: "Mr. King", "Mrs. Major"
        words = tokens[position : position + width]
        titles.append(" ".join(word.rstrip(".") for word in words))
        title_kind = _PREFIX_TITLE_KIND[_title_key(" ".join(words))]
        position += width
    rest = tokens[position:]

    if suffix is None and len(rest) > 1 and _NAME_SUFFIX_RE.match(_title_key(rest[-1])):
        suffix = rest.pop().rstrip(".")
    if rest:
        honorific = _SUFFIX_HONORIFIC_RE.match(rest[-1])
        if honorific and honorific["suffix"].lower() in HONORIFIC_SUFFIXES:
            rest[-1] = honorific["name"]
            if not titles:
                titles.append(honorific["suffix"])
                title_kind = _GIVEN  # "Sakura-chan": a suffix mostly follows the given name

    parts = NameParts(title=" ".join(titles) or None, suffix=suffix)
    if not rest:
        return parts
    particle_at = next(
        (
            i
            for i, tok in enumerate(rest[:-1])
            if tok.lower() in _PARTICLES
            and (i > 0 or tok.islower() or (titles and tok.lower() in FAMILY_NAME_PARTICLES))
        ),
        None,
    )
    if particle_at == 0:  # "Mr. de Winter"
        parts.last = " ".join(rest)
        return parts
    if particle_at is not None:
        rest = rest[:particle_at] + [" ".join(rest[particle_at:])]
    if len(rest) == 1:
        lone = rest[0]
        if (
            not titles
            or title_kind == _GIVEN
            or (title_kind == _EITHER and _is_given_name_for(lone, HONORIFICS.get(_title_key(titles[-1]))))
        ):
            parts.first = lone
        else:
            parts.last = lone
        return parts
    parts.first, parts.middle, parts.last = rest[0], rest[1:-1], rest[-1]
    return parts


# Abbreviated titles and the word they stand for: "the Doctor" is the story's "Dr Ashcombe".
_TITLE_ABBREVIATIONS = {
    "dr": "doctor", "doc": "doctor", "capt": "captain", "cpt": "captain", "col": "colonel", "prof": "professor",
    "rev": "reverend", "revd": "reverend", "gen": "general", "lt": "lieutenant", "lieut": "lieutenant",
    "sgt": "sergeant", "maj": "major", "adm": "admiral", "insp": "inspector", "det": "detective",
    "cmdr": "commander", "cdr": "commander", "cpl": "corporal", "pvt": "private", "supt": "superintendent",
}  # fmt: skip


def canonical_title(title: str) -> str:
    """A title's full lower-case form, for comparing titles: "Dr." → "doctor", "Colonel" → "colonel"."""
    key = _title_key(title)
    return _TITLE_ABBREVIATIONS.get(key, key)


def title_takes_either(title: str | None) -> bool:
    """Whether a lone name after `title` may be a given or a family name ("Father Dalton", "Lady Catherine")."""
    if not title:
        return False
    return _PREFIX_TITLE_KIND.get(_title_key(title.split()[-1])) == _EITHER


def _is_given_name_for(word: str, gender: str | None) -> bool:
    """Whether `word` after a title of `gender` reads as a given name rather than a family name.

    Novels mostly follow "Miss", "Lady" and "Lord" with a family name, and many family names are
    also given to some children (Lucas, Barry, Darcy), so only a name clearly of the title's own
    gender counts: "Miss Elizabeth" but "Miss Lucas" and "Miss Darcy".
    """
    guess = first_name_gender(word)
    if guess is None or guess[1] < _GIVEN_AFTER_TITLE_MIN_SHARE:
        return False
    return gender is None or guess[0] == gender


def title_gender(title: str | None) -> str | None:
    """The gender a title implies: "male", "female" or None (none, or not a known title).

    Several titles in a row ("Rear Admiral Sir") imply a gender when those that imply one agree.
    """
    if not title:
        return None
    key = _title_key(title)
    if key in HONORIFICS:
        return HONORIFICS[key]
    if key in HONORIFIC_SUFFIXES:
        return HONORIFIC_SUFFIXES[key]
    words = key.split()
    genders: set[str] = set()
    position = 0
    while position < len(words):
        width = _match_title(words, position)
        if not width:
            return None  # not a string of titles: claim nothing
        gender = HONORIFICS[" ".join(words[position : position + width])]
        if gender:
            genders.add(gender)
        position += width
    return genders.pop() if len(genders) == 1 else None


def first_name_gender(first: str) -> tuple[str, float] | None:
    """The likelier gender of a given name and its probability, from US birth records.

    The probability is Laplace-smoothed, so a name seen on few births never claims certainty.
    None for names too rare to have statistics, and for names given equally to both.
    Hyphenated and double names fall back to their first part ("Jean-Baptiste" → "Jean").
    """
    stats = _given_name_stats()
    token = _strip_possessive(first.strip())
    entry = stats.get(_fold(token))
    if entry is None:
        pieces = [piece for piece in re.split(r"[\s\-]+", token) if piece]
        if len(pieces) > 1:
            entry = stats.get(_fold(pieces[0]))
    if entry is None:
        return None
    female_share, count = entry
    female = (round(female_share * count) + 1) / (count + 2)
    if female > 0.5:
        return FEMALE, female
    if female < 0.5:
        return MALE, 1.0 - female
    return None


def given_name_count(first: str) -> int:
    """How many US births carried this given name (1880–2017): 0 for names never recorded.

    Tells a common name ("John", 5 million) from a distinctive one ("Kylo", a few hundred), which
    matters when a single first name is taken as evidence of a fandom.
    """
    entry = _given_name_stats().get(_fold(_strip_possessive(first.strip())))
    return entry[1] if entry else 0


def canonical_given_names(first: str) -> set[str]:
    """The full given names a name may stand for, lower case: "Lizzy" → {"elizabeth"}.

    A full name stands for itself ("Elizabeth" → {"elizabeth"}); a name that is both a name in
    its own right and a diminutive keeps both ("Eliza" → {"eliza", "elizabeth"}); an unknown name
    stands for itself. Empty input gives an empty set.
    """
    key = _fold(_strip_possessive(first.strip()))
    if not key:
        return set()
    full_names_of, full_names = _nickname_tables()
    canonical = set(full_names_of.get(key, ()))
    if key in full_names or not canonical or _birth_count(key) >= _NAME_IN_OWN_RIGHT_MIN_COUNT:
        canonical.add(key)
    return canonical


def _birth_count(folded_name: str) -> int:
    entry = _given_name_stats().get(folded_name)
    return entry[1] if entry else 0


def are_nickname_variants(a: str, b: str) -> bool:
    """Whether two given names may name the same person ("Lizzy"/"Eliza", "Bill"/"William").

    True when they share a full name; ambiguous diminutives link to every name they shorten
    ("Al" to Albert and Alexander), so this says "may", not "does".
    """
    return bool(canonical_given_names(a) & canonical_given_names(b))


# --- shipped data ----------------------------------------------------------------------------

_DATA_DIR = "data/names"
_GIVEN_AFTER_TITLE_MIN_SHARE = 0.9
# A diminutive that is also this common as a name on its own stands for itself too ("Eliza",
# "Molly"); rarer ones only for their full names ("Lizzy" → Elizabeth).
_NAME_IN_OWN_RIGHT_MIN_COUNT = 10_000
GIVEN_NAMES_FILE = "given_names.tsv.gz"
NICKNAMES_FILE = "nicknames.tsv"


def _data_file(filename: str) -> Traversable:
    return resources.files("ficlens").joinpath(f"{_DATA_DIR}/{filename}")


def _data_lines(filename: str, header: str) -> list[list[str]]:
    """Tab-separated rows of a shipped data file, without comment and header lines."""
    try:
        raw = _data_file(filename).read_bytes()
        text = (gzip.decompress(raw) if filename.endswith(".gz") else raw).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        raise NameDataError(
            f"name data {_DATA_DIR}/{filename} is missing or damaged ({exc}); reinstall ficlens"
        ) from None
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    if not rows or "\t".join(rows[0]) != header:
        raise NameDataError(f"name data {_DATA_DIR}/{filename} lacks its header line; reinstall ficlens")
    return rows[1:]


@lru_cache(maxsize=1)
def _given_name_stats() -> Mapping[str, tuple[float, int]]:
    """Folded given name → (share recorded female, births counted)."""
    rows = _data_lines(GIVEN_NAMES_FILE, "name\tfemale_share\tcount")
    try:
        return MappingProxyType({name: (float(share), int(count)) for name, share, count in rows})
    except ValueError as exc:
        raise NameDataError(
            f"name data {_DATA_DIR}/{GIVEN_NAMES_FILE} has a malformed row ({exc}); reinstall ficlens"
        ) from None


@lru_cache(maxsize=1)
def _nickname_tables() -> tuple[Mapping[str, frozenset[str]], frozenset[str]]:
    """(diminutive → the full names it shortens, every full name that has diminutives)."""
    full_names_of: dict[str, set[str]] = {}
    rows = _data_lines(NICKNAMES_FILE, "name\tnickname")
    for row in rows:
        if len(row) != 2:
            raise NameDataError(f"name data {_DATA_DIR}/{NICKNAMES_FILE} has a malformed row; reinstall ficlens")
        full, nickname = row
        full_names_of.setdefault(nickname, set()).add(full)
    return (
        MappingProxyType({nick: frozenset(full) for nick, full in full_names_of.items()}),
        frozenset(full for full, _ in rows),
    )
