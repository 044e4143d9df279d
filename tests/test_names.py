"""Tests for ficlens.characters.names: titles, name splitting, nicknames and first-name gender."""

from __future__ import annotations

import ast
import csv
import gzip
import importlib.util
import itertools
import re
from pathlib import Path

import pytest

from ficlens.characters import names
from ficlens.characters.names import (
    HONORIFICS,
    NameDataError,
    NameParts,
    are_nickname_variants,
    canonical_given_names,
    first_name_gender,
    split_name,
    title_gender,
)
from ficlens.errors import FiclensError

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "src" / "ficlens" / "data" / "names"
PDNC = REPO.parent / "shared" / "eval" / "pdnc-dev"


@pytest.fixture
def fresh_caches():
    """Drop the loaded data before and after a test that times or breaks loading."""
    names._given_name_stats.cache_clear()
    names._nickname_tables.cache_clear()
    yield
    names._given_name_stats.cache_clear()
    names._nickname_tables.cache_clear()


# --- HONORIFICS and title_gender -------------------------------------------------------------

REQUESTED_TITLES = (
    """mr mrs miss ms mx lady lord sir dame madam madame mademoiselle monsieur dr doctor
professor prof captain capt general colonel major lieutenant admiral commander sergeant king queen
prince princess duke duchess count countess baron baroness father sister brother aunt uncle saint
rev reverend master mistress emperor empress senator chancellor agent detective inspector
officer""".split()
    + ["supreme leader", "jedi master"]
)


def test_honorifics_cover_the_titles_fiction_uses():
    missing = [title for title in REQUESTED_TITLES if title not in HONORIFICS]
    assert missing == []


def test_honorific_keys_are_normalised_and_values_are_genders():
    for title, gender in HONORIFICS.items():
        assert title == " ".join(title.lower().replace(".", "").split()), title
        assert gender in ("male", "female", None), title


def test_honorific_suffixes_are_kept_apart_from_titles():
    # "Chan" and "San" are names on their own: a consumer scanning HONORIFICS must not see them.
    assert "chan" in names.HONORIFIC_SUFFIXES and "chan" not in HONORIFICS
    assert title_gender("kun") == "male" and title_gender("noona") == "female"
    assert title_gender("san") is None


def test_honorifics_cannot_be_changed_by_callers():
    with pytest.raises(TypeError):
        HONORIFICS["mr"] = "female"  # type: ignore[index]


@pytest.mark.parametrize(
    "male, female",
    [
        ("Mr", "Mrs"),
        ("Mr.", "Ms."),
        ("Sir", "Dame"),
        ("Lord", "Lady"),
        ("King", "Queen"),
        ("Prince", "Princess"),
        ("Duke", "Duchess"),
        ("Count", "Countess"),
        ("Baron", "Baroness"),
        ("Emperor", "Empress"),
        ("Monsieur", "Mademoiselle"),
        ("Uncle", "Aunt"),
        ("Brother", "Sister"),
        ("Master", "Mistress"),
        ("Father", "Madame"),
    ],
)
def test_gendered_titles(male, female):
    assert title_gender(male) == "male"
    assert title_gender(female) == "female"


@pytest.mark.parametrize(
    "title",
    [
        "Mx",
        "Mx.",
        "Dr",
        "Dr.",
        "Doctor",
        "Professor",
        "Captain",
        "General",
        "Agent",
        "Supreme Leader",
        "Jedi Master",
        "Senator",
        "Saint",
        "Rev.",
    ],
)
def test_ungendered_titles_imply_nothing(title):
    assert title_gender(title) is None


def test_title_gender_ignores_case_dots_and_hyphens():
    assert title_gender("MRS.") == "female"
    assert title_gender("  mr ") == "male"
    assert title_gender("Señora") == "female"
    assert title_gender("Vice-Admiral") is None and "vice admiral" in HONORIFICS


def test_title_gender_of_a_string_of_titles():
    assert title_gender("Rear Admiral Sir") == "male"
    assert title_gender("Lt Col") is None
    assert title_gender("Lord Lady") is None  # contradicting titles claim nothing


@pytest.mark.parametrize("title", [None, "", "Banana", "Mr Banana"])
def test_unknown_titles_imply_nothing(title):
    assert title_gender(title) is None


# --- split_name ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Mr. Fitzwilliam Darcy", NameParts(title="Mr", first="Fitzwilliam", last="Darcy")),
        ("Mr. Darcy", NameParts(title="Mr", last="Darcy")),
        ("Mr Darcy", NameParts(title="Mr", last="Darcy")),
        ("Supreme Leader Snoke", NameParts(title="Supreme Leader", last="Snoke")),
        ("Kylo Ren", NameParts(first="Kylo", last="Ren")),
        ("Rey", NameParts(first="Rey")),
        ("Dr. Watson", NameParts(title="Dr", last="Watson")),
        ("Dr. John H. Watson", NameParts(title="Dr", first="John", middle=["H."], last="Watson")),
        ("Sir Walter Elliot", NameParts(title="Sir", first="Walter", last="Elliot")),
        ("Sir Walter", NameParts(title="Sir", first="Walter")),
        ("Aunt Petunia", NameParts(title="Aunt", first="Petunia")),
        ("Lady Catherine", NameParts(title="Lady", first="Catherine")),
        ("Miss Elizabeth", NameParts(title="Miss", first="Elizabeth")),
        ("Miss Bennet", NameParts(title="Miss", last="Bennet")),
        ("Miss Lucas", NameParts(title="Miss", last="Lucas")),
        ("Lord Voldemort", NameParts(title="Lord", last="Voldemort")),
        ("Dean Winchester", NameParts(first="Dean", last="Winchester")),
        ("Mr. King", NameParts(title="Mr", last="King")),
        ("Prince Harry", NameParts(title="Prince", first="Harry")),
        ("General Hux", NameParts(title="General", last="Hux")),
        ("Gen. Hux", NameParts(title="Gen", last="Hux")),
        ("Lt. Col. John Sheppard", NameParts(title="Lt Col", first="John", last="Sheppard")),
        ("Rear Admiral Sir John Smith", NameParts(title="Rear Admiral Sir", first="John", last="Smith")),
        ("The Doctor", NameParts(title="Doctor")),
        ("Ludwig van Beethoven", NameParts(first="Ludwig", last="van Beethoven")),
        ("Mr. de Winter", NameParts(title="Mr", last="de Winter")),
        ("Mrs. Van Der Luyden", NameParts(title="Mrs", last="Van Der Luyden")),
        ("Mr. Al Smith", NameParts(title="Mr", first="Al", last="Smith")),
        ("Ursula K. Le Guin", NameParts(first="Ursula", middle=["K."], last="Le Guin")),
        ("Brienne of Tarth", NameParts(first="Brienne", last="of Tarth")),
        ("Obi-Wan Kenobi", NameParts(first="Obi-Wan", last="Kenobi")),
        ('Harold "Harry" Potter', NameParts(first="Harold", last="Potter")),
        ("Jane Bingley (née Bennet)", NameParts(first="Jane", last="Bingley")),
        ("Darcy, Fitzwilliam", NameParts(first="Fitzwilliam", last="Darcy")),
        ("John Smith, Jr.", NameParts(first="John", last="Smith", suffix="Jr")),
        ("Henry VIII", NameParts(first="Henry", suffix="VIII")),
        ("Mr. Darcy's", NameParts(title="Mr", last="Darcy")),
        ("Naruto-kun", NameParts(title="kun", first="Naruto")),
        ("Jimin-ssi", NameParts(title="ssi", first="Jimin")),
        ("Jean-Luc Picard", NameParts(first="Jean-Luc", last="Picard")),
    ],
)
def test_split_name(name, expected):
    assert split_name(name) == expected


@pytest.mark.parametrize("name", ["", "   ", ".", ","])
def test_split_name_of_nothing_is_empty(name):
    assert split_name(name) == NameParts()


def test_split_name_returns_independent_parts():
    first = split_name("Dr. John H. Watson")
    first.middle.append("X")
    assert split_name("Dr. John H. Watson").middle == ["H."]


def test_a_title_gives_the_gender_of_a_split_name():
    assert title_gender(split_name("Mrs. Bennet").title) == "female"
    assert title_gender(split_name("Mr. Bennet").title) == "male"
    assert title_gender(split_name("Dr. Watson").title) is None
    assert title_gender(split_name("Ms Marvel").title) == "female"
    assert title_gender(split_name("Mx. Smith").title) is None
    assert title_gender(split_name("Kylo Ren").title) is None


# --- first_name_gender -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, gender",
    [
        ("Elizabeth", "female"),
        ("Lizzy", "female"),
        ("Eliza", "female"),
        ("Margaret", "female"),
        ("Leia", "female"),
        ("Hermione", "female"),
        ("William", "male"),
        ("Bill", "male"),
        ("Fitzgerald", "male"),
        ("Draco", "male"),
        ("Sherlock", "male"),
        ("Ben", "male"),
    ],
)
def test_first_name_gender_of_common_names(first, gender):
    guess = first_name_gender(first)
    assert guess is not None and guess[0] == gender
    assert 0.9 < guess[1] < 1.0  # confident, yet smoothed short of certainty


def test_ambiguous_names_get_low_confidence():
    taylor = first_name_gender("Taylor")
    elizabeth = first_name_gender("Elizabeth")
    assert taylor is not None and elizabeth is not None
    assert 0.5 < taylor[1] < 0.85 < elizabeth[1]


@pytest.mark.parametrize("first", ["Xqzzyv", "Snoke", "Fitzwilliam", "", "   ", "123"])
def test_unknown_or_rare_names_have_no_gender(first):
    assert first_name_gender(first) is None


def test_first_name_gender_normalises_its_input():
    assert first_name_gender("ELIZABETH") == first_name_gender("elizabeth") == first_name_gender(" Elizabeth ")
    assert first_name_gender("Zoë") == first_name_gender("Zoe")
    assert first_name_gender("Lizzy's") == first_name_gender("Lizzy")
    assert first_name_gender("Mary-Kate")[0] == "female"  # type: ignore[index]
    assert first_name_gender("Jean-Claude") is not None  # falls back to its first part


def test_smoothing_makes_rare_names_less_certain_than_common_ones():
    rare = first_name_gender("Lizzy")  # hundreds of births
    common = first_name_gender("Elizabeth")  # over a million
    assert rare is not None and common is not None
    stats = names._given_name_stats()
    assert stats["lizzy"][1] < stats["elizabeth"][1]
    assert stats["lizzy"][0] == 1.0 and rare[1] < 1.0


# --- canonical_given_names and are_nickname_variants -----------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Lizzy", {"elizabeth"}),
        ("Elizabeth", {"elizabeth"}),
        ("ELIZABETH", {"elizabeth"}),
        ("William", {"william"}),
        ("Fitz", {"fitzwilliam"}),
        ("Kylo", {"kylo"}),
        ("", set()),
    ],
)
def test_canonical_given_names(name, expected):
    assert canonical_given_names(name) == expected


@pytest.mark.parametrize(
    "name, includes",
    [
        ("Bill", {"william"}),
        ("Billy", {"william"}),
        ("Lizzie", {"lizzie", "elizabeth"}),
        ("Peggy", {"margaret"}),
        ("Meg", {"margaret"}),
        ("Maggie", {"margaret"}),
        ("Betsy", {"elizabeth"}),
        ("Bess", {"elizabeth"}),
        ("Eliza", {"eliza", "elizabeth"}),
        ("Molly", {"molly", "mary"}),
    ],
)
def test_diminutives_lead_to_their_full_names(name, includes):
    assert includes <= canonical_given_names(name)


def test_canonical_given_names_returns_a_fresh_set():
    first = canonical_given_names("Lizzy")
    first.add("mallory")
    assert canonical_given_names("Lizzy") == {"elizabeth"}


@pytest.mark.parametrize(
    "a, b",
    [
        ("Lizzy", "Eliza"),
        ("Lizzy", "Lizzie"),
        ("Elizabeth", "Beth"),
        ("Bill", "William"),
        ("Will", "Billy"),
        ("Maggie", "Peggy"),
        ("Meg", "Margaret"),
        ("Kylo", "kylo"),
        ("Rey", "Rey"),
    ],
)
def test_nickname_variants(a, b):
    assert are_nickname_variants(a, b)
    assert are_nickname_variants(b, a)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Elizabeth", "Margaret"),
        ("William", "Robert"),
        ("Alexander", "Alexandra"),
        ("Emil", "Emily"),
        ("Justin", "Justina"),
        ("Kylo", "Rey"),
        ("Lizzy", ""),
        ("", ""),
    ],
)
def test_not_nickname_variants(a, b):
    assert not are_nickname_variants(a, b)


# --- the shipped data ------------------------------------------------------------------------


def test_data_files_are_small():
    total = sum(path.stat().st_size for path in DATA_DIR.iterdir() if path.is_file())
    assert 0 < total < 2_000_000


def test_data_loads(fresh_caches):
    # Load speed is measured by `make bench`, never by a timed test (shared CI machines).
    assert names._given_name_stats()
    assert names._nickname_tables()


def test_given_names_file_is_sorted_and_sane():
    lines = gzip.decompress((DATA_DIR / names.GIVEN_NAMES_FILE).read_bytes()).decode().splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")][1:]
    assert len(rows) > 10_000
    keys = [row[0] for row in rows]
    assert keys == sorted(set(keys))
    for name, share, count in rows:
        assert re.fullmatch(r"[a-z]+", name), name
        assert 0.0 <= float(share) <= 1.0 and int(count) >= 50, name
    assert not {"unknown", "baby", "infant", "unnamed"} & set(keys)  # SSA placeholders


def test_nicknames_file_is_sorted_one_way_pairs():
    lines = (DATA_DIR / names.NICKNAMES_FILE).read_text(encoding="utf-8").splitlines()
    pairs = [tuple(line.split("\t")) for line in lines if not line.startswith("#")][1:]
    assert pairs == sorted(set(pairs)) and len(pairs) > 1000
    assert ("elizabeth", "eliza") in pairs and ("eliza", "elizabeth") not in pairs
    assert all(re.fullmatch(r"[a-z]+", part) for pair in pairs for part in pair)


def test_nickname_licence_ships_beside_the_data():
    licence = (DATA_DIR / "NICKNAMES-LICENSE.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence and "nicknames" in licence


@pytest.mark.parametrize(
    "filename, content",
    [(names.GIVEN_NAMES_FILE, b"not gzip at all"), (names.NICKNAMES_FILE, b"no header here\n")],
)
def test_damaged_data_raises_a_ficlens_error(fresh_caches, monkeypatch, tmp_path, filename, content):
    (tmp_path / filename).write_bytes(content)
    monkeypatch.setattr(names, "_data_file", lambda name: tmp_path / name)
    with pytest.raises(NameDataError) as caught:
        canonical_given_names("Lizzy") if filename == names.NICKNAMES_FILE else first_name_gender("Lizzy")
    assert isinstance(caught.value, FiclensError)
    assert filename in str(caught.value) and "\n" not in str(caught.value)


def test_missing_data_raises_a_ficlens_error(fresh_caches, monkeypatch, tmp_path):
    monkeypatch.setattr(names, "_data_file", lambda name: tmp_path / name)
    with pytest.raises(NameDataError):
        first_name_gender("Elizabeth")


# --- the build script ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def build_script():
    spec = importlib.util.spec_from_file_location("build_name_data", REPO / "training" / "build_name_data.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_build_keeps_the_longer_name_of_a_two_way_pair(build_script):
    pairs = [("eliza", "elizabeth"), ("elizabeth", "eliza"), ("allan", "allen"), ("allen", "allan")]
    cleaned = build_script.clean_nickname_pairs(pairs, {})
    assert ("elizabeth", "eliza") in cleaned and ("eliza", "elizabeth") not in cleaned
    assert ("allan", "allen") in cleaned and ("allen", "allan") in cleaned  # spelling variants


def test_build_drops_longer_names_of_the_other_gender(build_script):
    shares = {"emil": 0.0, "emily": 1.0, "alexandra": 1.0, "alex": 0.03}
    cleaned = build_script.clean_nickname_pairs([("emil", "emily"), ("alexandra", "alex")], shares)
    assert ("emil", "emily") not in cleaned
    assert ("alexandra", "alex") in cleaned  # a real diminutive may cross genders


def test_build_drops_rare_names_and_placeholders(build_script):
    import collections

    female = collections.Counter({"ada": 900, "baby": 5000, "zed": 10})
    male = collections.Counter({"ada": 100, "baby": 5000, "zed": 20})
    rows = build_script.given_name_rows(female, male, min_count=50)
    assert rows == [("ada", 0.9, 1000)]


# --- against annotated novels (skipped without ../shared) ------------------------------------


def _pdnc_characters():
    if not PDNC.is_dir():
        pytest.skip("../shared/eval/pdnc-dev is not available")
    for path in sorted(PDNC.glob("*/character_info.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                yield {**row, "novel": path.parent.name}


def test_title_gender_agrees_with_pdnc_annotations():
    genders = {"M": "male", "F": "female"}
    judged = agreed = 0
    for row in _pdnc_characters():
        gold = genders.get(row["Gender"])
        guess = title_gender(split_name(row["Main Name"]).title)
        if gold and guess:
            judged += 1
            agreed += guess == gold
    assert judged >= 100
    assert agreed / judged >= 0.95


def test_first_name_gender_agrees_with_pdnc_annotations():
    """Titled names are left out: "Mrs. Peter Blewett" carries her husband's first name."""
    genders = {"M": "male", "F": "female"}
    judged = agreed = 0
    for row in _pdnc_characters():
        gold = genders.get(row["Gender"])
        parts = split_name(row["Main Name"])
        guess = first_name_gender(parts.first) if parts.first and not parts.title else None
        if gold and guess and guess[1] >= 0.8:
            judged += 1
            agreed += guess[0] == gold
    assert judged >= 50
    assert agreed / judged >= 0.9


def test_pdnc_nickname_links_are_precise():
    """Given names of different characters in one novel rarely link; one character's often do."""
    linked_within = pairs_within = linked_across = pairs_across = 0
    by_novel: dict[str, list[set[str]]] = {}
    for row in _pdnc_characters():
        try:
            aliases = ast.literal_eval(row["Aliases"])
        except (ValueError, SyntaxError):
            continue
        given = {a for a in aliases if len(a.split()) == 1 and first_name_gender(a)}
        by_novel.setdefault(row["novel"], []).append(given)
    for characters in by_novel.values():
        for given in characters:
            for a, b in itertools.combinations(sorted(given), 2):
                pairs_within += 1
                linked_within += are_nickname_variants(a, b)
        for one, other in itertools.combinations(characters, 2):
            for a, b in itertools.product(one, other):
                if a.lower() != b.lower():
                    pairs_across += 1
                    linked_across += are_nickname_variants(a, b)
    assert pairs_within >= 20 and pairs_across >= 1000
    assert linked_across / pairs_across < 0.02
    assert linked_within / pairs_within > 0.25
