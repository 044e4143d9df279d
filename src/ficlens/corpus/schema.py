"""The corpus database's schema: one SQLite file any SQLite tool can open (docs/corpus.md).

The schema version lives in `PRAGMA user_version`, and `PRAGMA application_id` marks the file as
a ficlens corpus, so that ficlens never writes into a database it did not make (or one a newer
ficlens made). `MIGRATIONS[n]` takes a database from version n to n + 1; `store.open_store`
applies them in order inside one transaction when it opens an older file for writing.

Lists (authors, aliases, addressees) and evidence are stored as JSON text, which the `sqlite3`
shell, datasette and pandas all read, and SQLite's `json_each` can query.
"""

from __future__ import annotations

SCHEMA_VERSION = 1
# "FICL" as a 32-bit big-endian integer: how `file`/sqlite tools and ficlens tell our files apart.
APPLICATION_ID = 0x4649434C

TABLES = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE works (
    id INTEGER PRIMARY KEY,
    source_key TEXT NOT NULL UNIQUE,   -- what identifies the input across runs (absolute path[!member][:line])
    source TEXT,                       -- the input as the user named it
    work_id TEXT NOT NULL,             -- ficlens's id of the work (profile work.id)
    content_hash TEXT NOT NULL,        -- sha256 of what was read; unchanged hash + version = skipped
    format TEXT,
    title TEXT,
    authors TEXT NOT NULL DEFAULT '[]',          -- JSON array
    language TEXT,
    published TEXT,                    -- ISO date or year when the source says, else NULL
    words INTEGER NOT NULL DEFAULT 0,  -- story words only
    chapters INTEGER NOT NULL DEFAULT 0,
    note_words INTEGER NOT NULL DEFAULT 0,
    pov TEXT,
    tense TEXT,
    reader_insert INTEGER NOT NULL DEFAULT 0,
    ficlens_version TEXT NOT NULL,
    profile_schema TEXT NOT NULL,
    analysed_at TEXT NOT NULL,         -- UTC, ISO 8601
    profile BLOB NOT NULL              -- the full profile JSON, zlib-compressed (corpus.rows.unpack_profile)
);
CREATE INDEX works_by_words ON works (words, pov);  -- search's --words and --pov without reading the profiles

CREATE TABLE parts (
    work INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,                -- body | summary | notes | end_notes
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    chapter INTEGER,
    title TEXT,
    words INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (work, idx)
);

CREATE TABLE characters (
    work INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    character TEXT NOT NULL,           -- the profile's character id
    name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    gender TEXT NOT NULL,
    gender_confidence REAL NOT NULL DEFAULT 0,
    is_reader INTEGER NOT NULL DEFAULT 0,
    mentions INTEGER NOT NULL DEFAULT 0,
    quotes INTEGER NOT NULL DEFAULT 0,         -- quotes this character speaks
    quoted_words INTEGER NOT NULL DEFAULT 0,   -- words in those quotes
    PRIMARY KEY (work, character)
);

CREATE TABLE quotes (
    work INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    speaker TEXT,                      -- character id, NULL when unknown
    speaker_name TEXT,
    addressees TEXT NOT NULL DEFAULT '[]',       -- JSON array of character ids
    addressee_names TEXT NOT NULL DEFAULT '[]',
    confidence REAL NOT NULL DEFAULT 0,
    words INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    PRIMARY KEY (work, idx)
);

CREATE TABLE relationships (
    work INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    tag TEXT NOT NULL,                 -- "A/B" or "A & B"
    type TEXT NOT NULL,                -- romantic | family | friendship | antagonism | platonic
    characters TEXT NOT NULL,          -- JSON array of character ids
    relation TEXT,
    strength REAL NOT NULL DEFAULT 0,
    confidence REAL NOT NULL DEFAULT 0,
    evidence TEXT NOT NULL DEFAULT '[]',         -- JSON array of {start, end, excerpt}
    PRIMARY KEY (work, idx)
);

CREATE TABLE tags (
    work INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                -- fandom | rating | warning | category | relationship | character | additional
    tag TEXT NOT NULL,
    source TEXT NOT NULL,              -- author | suggested
    confidence REAL,                   -- NULL for the author's own tags
    evidence TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX tags_by_tag ON tags (kind, tag, source, work);  -- covering: search filters and facets read it alone
CREATE INDEX tags_by_work ON tags (work);

CREATE TABLE audit (
    work INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    field TEXT NOT NULL,
    kind TEXT NOT NULL,                -- unsupported | missing
    tag TEXT NOT NULL,
    message TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (work, idx)
);

-- Input files as last indexed, so that a re-run skips an unchanged file without reading it
-- (corpus.index): a row is written only once every work of the file is stored, none failed.
CREATE TABLE sources (
    path TEXT PRIMARY KEY,             -- absolute path of the input file
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sidecar TEXT NOT NULL DEFAULT '',  -- size:mtime_ns of a FanFicFare .json beside it, if any
    sha256 TEXT NOT NULL,              -- of the file's bytes: a touched but unchanged file is not re-read
    works INTEGER NOT NULL,            -- works the file held
    ficlens_version TEXT NOT NULL,
    indexed_at TEXT NOT NULL
);

CREATE TABLE failures (
    source_key TEXT PRIMARY KEY,
    source TEXT,
    reason TEXT NOT NULL,
    exit_code INTEGER NOT NULL,
    at TEXT NOT NULL
);

-- Full-text search. One row per work and scope: 'story' (body parts) or 'notes' (summary and
-- notes), so that search never matches notes unless asked. rowid = work * 2 + (scope = notes).
CREATE VIRTUAL TABLE texts USING fts5(
    text, scope UNINDEXED, work UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Quotations, for "what does X say": rowid is quotes' (work, idx) packed as work * 2^20 + idx.
CREATE VIRTUAL TABLE quote_texts USING fts5(
    text, work UNINDEXED, idx UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Near-duplicates (corpus.duplicates): a MinHash signature per work over word shingles, and its
-- LSH band hashes, so that candidates come from an index lookup instead of comparing all pairs.
CREATE TABLE minhashes (
    work INTEGER PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE,
    shingles INTEGER NOT NULL,         -- how many distinct shingles the signature summarises
    signature BLOB NOT NULL            -- num_perm uint64 values, little-endian
);
CREATE TABLE lsh_bands (
    band INTEGER NOT NULL,
    bucket BLOB NOT NULL,
    work INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE
);
CREATE INDEX lsh_by_bucket ON lsh_bands (band, bucket, work);  -- covering: candidates come from the index alone
CREATE INDEX lsh_by_work ON lsh_bands (work);
"""

# MIGRATIONS[n]: statements taking a database at schema version n to n + 1.
MIGRATIONS: dict[int, list[str]] = {}
