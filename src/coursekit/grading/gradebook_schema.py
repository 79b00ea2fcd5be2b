"""What a gradebook file holds: its tables at version SCHEMA_VERSION, and how a file of an
older version is brought to it. Missing tables are created and the columns later versions
added to version 1's tables (ADDED_COLUMNS) are added in place, in one transaction.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 3
SCHEMA = """
CREATE TABLE IF NOT EXISTS quiz_grades (
    quiz TEXT NOT NULL,
    learner TEXT NOT NULL,        -- the id as first graded; compared without regard to case
    attempt INTEGER NOT NULL,
    seed TEXT,
    score TEXT NOT NULL,          -- what counts, exact, as a fraction ('15/2'): the override if any
    score_value REAL NOT NULL,    -- the same, for sorting and spreadsheets
    max_score INTEGER NOT NULL,
    submitted_at TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    graded_score TEXT,            -- what the key gave (v2)
    key_fingerprint TEXT NOT NULL DEFAULT '',  -- the key it was graded with; '' before v2
    pool TEXT NOT NULL DEFAULT '{}',           -- JSON: the site's variant indexes
    override_score TEXT,          -- set by an instructor, with a reason
    override_reason TEXT,
    override_at TEXT,
    PRIMARY KEY (quiz, learner)
);
CREATE TABLE IF NOT EXISTS quiz_items (
    quiz TEXT NOT NULL,
    learner TEXT NOT NULL,
    question TEXT NOT NULL,
    response TEXT NOT NULL,       -- JSON, as submitted
    score TEXT NOT NULL,
    max_score INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    misconceptions TEXT NOT NULL, -- JSON list
    PRIMARY KEY (quiz, learner, question),
    FOREIGN KEY (quiz, learner) REFERENCES quiz_grades (quiz, learner) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS exercise_grades (
    exercise TEXT NOT NULL,
    learner TEXT NOT NULL,
    status TEXT NOT NULL,
    passed INTEGER NOT NULL,
    total INTEGER NOT NULL,
    score TEXT NOT NULL,
    reason TEXT NOT NULL,
    sandbox TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    submitted_at TEXT NOT NULL DEFAULT '',     -- the file's modification time (v3)
    fingerprint TEXT NOT NULL DEFAULT '',      -- submission, tests and exercise it was graded from (v3)
    PRIMARY KEY (exercise, learner)            -- learner: the id as first graded; compared without case
);
CREATE TABLE IF NOT EXISTS quiz_removed (  -- submissions an instructor removed: never graded again
    quiz TEXT NOT NULL,
    learner_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    reason TEXT NOT NULL,
    removed_at TEXT NOT NULL,
    PRIMARY KEY (quiz, learner_key, sha256)
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,         -- remove | override | clear-override | regrade
    quiz TEXT NOT NULL,
    learner TEXT,                 -- NULL for an action on a batch
    reason TEXT NOT NULL,
    detail TEXT NOT NULL          -- JSON: what changed
);
"""
# Columns later versions added to version 1's tables, added in place to an older file.
ADDED_COLUMNS = [
    ("quiz_grades", "graded_score", "TEXT"),
    ("quiz_grades", "key_fingerprint", "TEXT NOT NULL DEFAULT ''"),
    ("quiz_grades", "pool", "TEXT NOT NULL DEFAULT '{}'"),
    ("quiz_grades", "override_score", "TEXT"),
    ("quiz_grades", "override_reason", "TEXT"),
    ("quiz_grades", "override_at", "TEXT"),
    ("exercise_grades", "submitted_at", "TEXT NOT NULL DEFAULT ''"),
    ("exercise_grades", "fingerprint", "TEXT NOT NULL DEFAULT ''"),
]
EXERCISE_COLUMNS = (
    "exercise",
    "learner",
    "status",
    "passed",
    "total",
    "score",
    "reason",
    "sandbox",
    "graded_at",
    "sha256",
    "submitted_at",
    "fingerprint",
)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring an older (or new) file to this version: create missing tables, add missing columns."""
    conn.executescript(SCHEMA)
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table, column, decl in ADDED_COLUMNS:
            if column not in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
        conn.execute("UPDATE quiz_grades SET graded_score = score WHERE graded_score IS NULL")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
