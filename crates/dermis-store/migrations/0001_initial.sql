-- Dermis schema, version 1: the clinic, users, patients with their search index,
-- and the append-only audit log.

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
-- Marks a file as a Dermis database (restore refuses anything else).
INSERT INTO app_meta (key, value) VALUES ('application', 'dermis');

CREATE TABLE clinic (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT NOT NULL,
    address    TEXT NOT NULL,
    phone      TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    roles         TEXT NOT NULL,          -- comma-separated: admin,practitioner,receptionist
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE patients (
    id                 INTEGER PRIMARY KEY,
    number_seq         INTEGER NOT NULL UNIQUE,   -- shown as P-000042
    first_name         TEXT NOT NULL,
    last_name          TEXT NOT NULL,
    date_of_birth      TEXT NOT NULL,             -- YYYY-MM-DD
    sex                TEXT CHECK (sex IN ('female', 'male', 'other')),
    phone              TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    address            TEXT NOT NULL DEFAULT '',
    preferred_language TEXT NOT NULL DEFAULT '',
    notes              TEXT NOT NULL DEFAULT '',
    archived           INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    search_text        TEXT NOT NULL,             -- folded "first last"
    sort_key           TEXT NOT NULL,             -- folded "last \x01 first"
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX patients_by_sort_key ON patients (sort_key, id);
CREATE INDEX patients_by_date_of_birth ON patients (date_of_birth);

-- Suffixes of every folded name word (kind 0: starts a word, kind 1: inside a
-- word) and of the phone digits (kind 2). A query word matches when it is a
-- prefix of a term: one index range scan, any script, any length.
CREATE TABLE patient_search_terms (
    kind       INTEGER NOT NULL,
    term       TEXT NOT NULL,
    patient_id INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, term, patient_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX patient_search_terms_by_patient ON patient_search_terms (patient_id);

-- Append-only; each entry carries the hash of the one before it.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    INTEGER REFERENCES users (id),
    username   TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL DEFAULT '',
    entity_id  TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
