"""Corpus statistics (ficlens.corpus.stats), their plots (ficlens.plots.corpus) and `ficlens stats`.

The database is built in the test with the library from the example works, plus two variants of
one example whose author tags and audit findings are set here, so that the rating, warning and
audit tables have something to count. Every table's numbers are checked against a direct SQL
query written independently of the one in corpus/stats.py.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import EXAMPLES

from ficlens import Corpus, read
from ficlens.cli import main
from ficlens.corpus import build_record
from ficlens.corpus.stats import ALL, NO_FANDOM, StatsError, corpus_stats
from ficlens.model import AuditFinding, Evidence


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline) -> Path:
    path = tmp_path_factory.mktemp("stats") / "corpus.db"
    profiles = []
    for name in sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html")):
        profiles.append((str(EXAMPLES / name), pipeline(read(EXAMPLES / name))))
    lighthouse = next(p for key, p in profiles if key.endswith("the-lighthouse-keeper.txt"))
    # the same story, tagged by an author who rated it General and gave no death warning, with the
    # audit findings ficlens would give if the text read as Explicit and showed a death
    tagged = copy.deepcopy(lighthouse)
    tagged.work.id = "lighthouse-tagged"
    tags = tagged.work.author_tags
    tags.rating, tags.warnings, tags.fandoms = "General Audiences", ["No Archive Warnings Apply"], ["Original Work"]
    tags.characters, tags.relationships = ["Margaret Rowe", "Tom Penrose"], ["Margaret Rowe/Tom Penrose"]
    tags.additional = ["Lighthouses", "Family"]
    ev = [Evidence(300, 320, "a passage")]
    tagged.audit = [
        AuditFinding("rating", "missing", "Explicit", "rated General Audiences, but reads Explicit", ev),
        AuditFinding("warnings", "missing", "Major Character Death", "a death", ev),
    ]
    profiles.append(("lighthouse-tagged", tagged))
    other = copy.deepcopy(tagged)
    other.work.id = "lighthouse-other"
    other.work.author_tags.rating = "Mature"
    other.audit = [AuditFinding("warnings", "missing", "Graphic Depictions Of Violence", "violence", ev)]
    profiles.append(("lighthouse-other", other))
    with Corpus(path) as corpus:
        corpus.add([build_record(p, key, with_minhash=False) for key, p in profiles])
    return path


@pytest.fixture(scope="module")
def corpus(db):
    with Corpus(db, readonly=True) as c:
        yield c


@pytest.fixture(scope="module")
def stats(corpus):
    return corpus_stats(corpus)


def one(corpus, sql: str, params: tuple = ()):
    return corpus.conn.execute(sql, params).fetchone()[0]


def work_fandoms(corpus) -> dict[int, set[str]]:
    """Each work's fandoms, worked out in Python from the tags rows (the module's definition)."""
    out: dict[int, set[str]] = {}
    rows = corpus.conn.execute("SELECT work, tag, source FROM tags WHERE kind = 'fandom'").fetchall()
    for (work,) in corpus.conn.execute("SELECT id FROM works"):
        author = {t for w, t, s in rows if w == work and s == "author"}
        suggested = {t for w, t, s in rows if w == work and s == "suggested"}
        out[work] = author or suggested or {NO_FANDOM}
    return out


def test_every_table_is_there(stats, corpus):
    assert stats.works == one(corpus, "SELECT count(*) FROM works") == 6
    assert [t.name for t in stats] == [
        "works_by_fandom",
        "works_by_rating",
        "works_by_warning",
        "works_by_category",
        "works_by_language",
        "works_by_year",
        "works_by_length",
        "top_characters",
        "top_relationships",
        "relationship_kinds",
        "top_additional_tags",
        "dialogue_by_gender",
        "narration",
        "reader_insert",
        "audit",
        "tag_agreement",
    ]
    for table in stats:
        assert table.rows, table.name
        assert all(len(row) == len(table.columns) for row in table.rows)


def test_works_by_fandom(stats, corpus):
    fandoms = work_fandoms(corpus)
    table = {r["fandom"]: r for r in stats["works_by_fandom"].dicts()}
    expected = {}
    for fs in fandoms.values():
        for f in fs:
            expected[f] = expected.get(f, 0) + 1
    assert {f: r["works"] for f, r in table.items()} == expected
    assert table["Original Work"]["works"] == 2
    assert table["Original Work"]["words"] == one(
        corpus, "SELECT sum(words) FROM works WHERE work_id LIKE 'lighthouse-%'"
    )


@pytest.mark.parametrize(
    "kind, name", [("rating", "works_by_rating"), ("warning", "works_by_warning"), ("category", "works_by_category")]
)
def test_works_by_tag(stats, corpus, kind, name):
    for row in stats[name].dicts():
        for source in ("author", "suggested"):
            if row[kind] == "(none)":
                expected = one(
                    corpus,
                    "SELECT count(*) FROM works WHERE id NOT IN (SELECT work FROM tags WHERE kind = ? AND source = ?)",
                    (kind, source),
                )
            else:
                expected = one(
                    corpus,
                    "SELECT count(DISTINCT work) FROM tags WHERE kind = ? AND tag = ? AND source = ?",
                    (kind, row[kind], source),
                )
            assert row[f"works_{source}"] == expected, (row, source)
    if kind == "rating":
        rows = {r["rating"]: r for r in stats[name].dicts()}
        assert rows["General Audiences"]["works_author"] == 2 and rows["Mature"]["works_author"] == 1


def test_language_year_and_length(stats, corpus):
    for row in stats["works_by_language"].dicts():
        lang = None if row["language"] == "(unknown)" else row["language"]
        assert row["works"] == one(corpus, "SELECT count(*) FROM works WHERE language IS ?", (lang,))
    for row in stats["works_by_year"].dicts():
        if row["year"] == "(unknown)":
            assert row["works"] == one(corpus, "SELECT count(*) FROM works WHERE published IS NULL")
        else:
            assert row["works"] == one(
                corpus, "SELECT count(*) FROM works WHERE published LIKE ?", (row["year"] + "%",)
            )
    assert sum(stats["works_by_length"].column("works")) == stats.works
    for row in stats["works_by_length"].dicts():
        high = row["below"] if row["below"] is not None else 10**12
        assert row["works"] == one(
            corpus, "SELECT count(*) FROM works WHERE words >= ? AND words < ?", (row["from"], high)
        )


@pytest.mark.parametrize(
    "kind, name",
    [("character", "top_characters"), ("relationship", "top_relationships"), ("additional", "top_additional_tags")],
)
def test_top_tags_per_fandom(stats, corpus, kind, name):
    fandoms = work_fandoms(corpus)
    rows = stats[name].dicts()
    assert rows
    for row in rows:
        works = [w for w, fs in fandoms.items() if row["fandom"] in fs]
        for source in ("author", "suggested"):
            tagged = {
                w
                for (w,) in corpus.conn.execute(
                    "SELECT work FROM tags WHERE kind = ? AND tag = ? AND source = ?", (kind, row[kind], source)
                )
            }
            assert row[f"works_{source}"] == len(tagged & set(works)), (row, source)
        if kind == "relationship":
            assert row["kind"] == ("romantic (A/B)" if "/" in row[kind] else "platonic (A & B)")
    original = [r for r in rows if r["fandom"] == "Original Work"]
    assert [r["rank"] for r in original] == list(range(1, len(original) + 1))
    keys = [(-r["works_author"], -r["works_suggested"]) for r in original]
    assert keys == sorted(keys)


def test_relationship_kinds(stats, corpus):
    fandoms = work_fandoms(corpus)
    for row in stats["relationship_kinds"].dicts():
        works = {w for w, fs in fandoms.items() if row["fandom"] in fs}
        for source in ("author", "suggested"):
            tags = corpus.conn.execute(
                "SELECT work, tag FROM tags WHERE kind = 'relationship' AND source = ?", (source,)
            ).fetchall()
            assert row[f"romantic_{source}"] == len({w for w, t in tags if w in works and "/" in t})
            assert row[f"platonic_{source}"] == len({w for w, t in tags if w in works and "/" not in t})


def test_dialogue_by_gender_counts_quotes_of_each_gender(stats, corpus):
    """From the quotes table joined to its speakers: an independent path from the characters
    table's per-character totals the module sums."""
    rows = [r for r in stats["dialogue_by_gender"].dicts() if r["fandom"] == ALL and r["share_of_quotes"] is not None]
    assert {r["gender"] for r in rows} >= {"female", "male"}
    for row in rows:
        n, words = corpus.conn.execute(
            "SELECT count(*), sum(q.words) FROM quotes q JOIN characters c ON c.work = q.work AND c.character = q.speaker "
            "WHERE c.gender = ?",
            (row["gender"],),
        ).fetchone()
        assert (row["quotes"], row["quoted_words"]) == (n, words)
    assert sum(r["share_of_quotes"] for r in rows) == pytest.approx(1, abs=1e-3)
    assert sum(r["share_of_words"] for r in rows) == pytest.approx(1, abs=1e-3)
    unattributed = [
        r for r in stats["dialogue_by_gender"].dicts() if r["fandom"] == ALL and r["share_of_quotes"] is None
    ]
    expected = one(corpus, "SELECT count(*) FROM quotes WHERE speaker IS NULL")
    assert (unattributed[0]["quotes"] if unattributed else 0) == expected
    # per fandom: the Original Work rows are the two tagged lighthouse works' quotes
    for row in stats["dialogue_by_gender"].dicts():
        if row["fandom"] == "Original Work" and row["share_of_quotes"] is not None:
            assert row["quotes"] == one(
                corpus,
                "SELECT count(*) FROM quotes q JOIN characters c ON c.work = q.work AND c.character = q.speaker "
                "JOIN works w ON w.id = q.work WHERE c.gender = ? AND w.work_id LIKE 'lighthouse-%'",
                (row["gender"],),
            )


def test_narration_and_reader_insert(stats, corpus):
    for row in stats["narration"].dicts():
        pov = None if row["pov"] == "(unknown)" else row["pov"]
        tense = None if row["tense"] == "(unknown)" else row["tense"]
        assert row["works"] == one(corpus, "SELECT count(*) FROM works WHERE pov IS ? AND tense IS ?", (pov, tense))
    overall = stats["reader_insert"].dicts()[0]
    assert overall["fandom"] == ALL
    assert overall["reader_insert"] == one(corpus, "SELECT count(*) FROM works WHERE reader_insert = 1") == 1


def test_audit_by_fandom(stats, corpus):
    rows = {r["fandom"]: r for r in stats["audit"].dicts()}
    assert (
        rows[ALL]["more_explicit_than_rated"]
        == one(corpus, "SELECT count(DISTINCT work) FROM audit WHERE field = 'rating' AND kind = 'missing'")
        == 1
    )
    assert (
        rows[ALL]["death_not_warned"]
        == one(
            corpus,
            "SELECT count(DISTINCT work) FROM audit WHERE field = 'warnings' AND kind = 'missing' "
            "AND tag = 'Major Character Death'",
        )
        == 1
    )
    assert rows[ALL]["rated"] == one(
        corpus, "SELECT count(DISTINCT work) FROM tags WHERE kind = 'rating' AND source = 'author'"
    )
    assert rows["Original Work"]["rated"] == 2 and rows["Original Work"]["share_of_rated"] == 0.5


def test_tag_agreement_per_field(stats, corpus):
    rows = {r["field"]: r for r in stats["tag_agreement"].dicts()}
    for field, row in rows.items():
        tags = corpus.conn.execute(
            "SELECT work, lower(trim(tag)), source FROM tags WHERE kind = ?", (field,)
        ).fetchall()
        author = {(w, t) for w, t, s in tags if s == "author"}
        suggested = {(w, t) for w, t, s in tags if s == "suggested"}
        both = {w for w, _ in author} & {w for w, _ in suggested}
        author = {x for x in author if x[0] in both}
        suggested = {x for x in suggested if x[0] in both}
        assert (row["works_compared"], row["author_tags"], row["suggested_tags"], row["agreed"]) == (
            len(both),
            len(author),
            len(suggested),
            len(author & suggested),
        ), field
        same = sum(1 for w in both if {t for x, t in author if x == w} == {t for x, t in suggested if x == w})
        assert row["works_identical"] == same
    assert rows["rating"]["works_compared"] >= 3


def test_one_fandom(corpus):
    stats = corpus_stats(corpus, fandom="original work")  # any case
    assert stats.fandom == "Original Work" and stats.works == 2
    assert stats["works_by_fandom"].rows == [("Original Work", 2, stats["works_by_fandom"].rows[0][2], 1.0)]
    assert sum(stats["works_by_length"].column("works")) == 2
    with pytest.raises(StatsError):
        corpus_stats(corpus, fandom="Discworld")


def png_is_a_picture(path: Path) -> bool:
    from matplotlib.image import imread

    pixels = imread(path)
    return pixels.shape[0] > 200 and pixels.shape[1] > 400 and float(np.std(pixels[..., :3])) > 0.03


def test_cli_writes_every_table_and_plot(tmp_path, db, stats):
    out_dir = tmp_path / "stats"
    out, err = io.StringIO(), io.StringIO()
    assert main(["stats", "--db", str(db), "-o", str(out_dir)], out, err) == 0, err.getvalue()
    for table in stats:
        with (out_dir / f"{table.name}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == table.columns
        assert [[("" if v is None else str(v)) for v in row] for row in table.rows] == rows[1:]
        assert png_is_a_picture(out_dir / f"{table.name}.png"), table.name
        assert (out_dir / f"{table.name}.svg").read_text(encoding="utf-8").count("<text") > 5
    svg = (out_dir / "top_characters.svg").read_text(encoding="utf-8")
    for name in stats["top_characters"].column("character")[:3]:
        assert name in svg
    assert "Original Work" in (out_dir / "works_by_fandom.svg").read_text(encoding="utf-8")
    gender_svg = (out_dir / "dialogue_by_gender.svg").read_text(encoding="utf-8")
    assert "female" in gender_svg and "male" in gender_svg
    # a second run without --force leaves every file as it was
    before = {p: p.stat().st_mtime_ns for p in out_dir.iterdir()}
    err = io.StringIO()
    assert main(["stats", "--db", str(db), "-o", str(out_dir)], io.StringIO(), err) == 5
    assert "exists" in err.getvalue()
    assert {p: p.stat().st_mtime_ns for p in out_dir.iterdir()} == before


def test_cli_json_and_errors(tmp_path, db, stats):
    out = io.StringIO()
    assert main(["stats", "--db", str(db), "-f", "json", "-o", str(tmp_path), "--no-plots"], out, io.StringIO()) == 0
    data = json.loads((tmp_path / "dialogue_by_gender.json").read_text(encoding="utf-8"))
    assert data["rows"] == stats["dialogue_by_gender"].dicts()
    assert not list(tmp_path.glob("*.png"))
    out = io.StringIO()
    assert main(["stats", "--db", str(db)], out, io.StringIO()) == 0
    assert "Works by fandom" in out.getvalue() and "Original Work" in out.getvalue()
    err = io.StringIO()
    assert main(["stats", "--db", str(tmp_path / "missing.db")], io.StringIO(), err) == 6
    assert err.getvalue().count("\n") == 1
    err = io.StringIO()
    assert main(["stats", "--db", str(db), "--fandom", "Discworld"], io.StringIO(), err) == 6
    assert "Discworld" in err.getvalue()
