-- Consent forms (issue 18). Templates are versioned: editing one inserts a
-- new version, and Dermis's own text is version 1 without a row (it lives in
-- dermis-core). A signed consent is frozen: the text as signed, the strokes
-- (JSON, points in a 400 x 150 box), the names and instants, the SHA-256 of
-- the canonical content and the PDF made at confirmation (its bytes and
-- SHA-256). Only the confirmation and the revocation are ever added to a row.
CREATE TABLE consent_templates (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 2),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (key, version)
) STRICT;

CREATE TABLE consents (
    id               INTEGER PRIMARY KEY,
    patient_id       INTEGER NOT NULL REFERENCES patients (id),
    template_key     TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    title            TEXT NOT NULL,
    text             TEXT NOT NULL,
    patient_name     TEXT NOT NULL,
    patient_number   TEXT NOT NULL,
    method           TEXT NOT NULL CHECK (method IN ('drawn', 'typed')),
    strokes          TEXT NOT NULL,
    typed_name       TEXT NOT NULL,
    photo_record     INTEGER NOT NULL CHECK (photo_record IN (0, 1)),
    photo_teaching   INTEGER NOT NULL CHECK (photo_teaching IN (0, 1)),
    photo_marketing  INTEGER NOT NULL CHECK (photo_marketing IN (0, 1)),
    signed_at        TEXT NOT NULL,
    recorded_by      INTEGER NOT NULL REFERENCES users (id),
    confirmed_by     INTEGER REFERENCES users (id),
    confirmed_at     TEXT,
    content_sha256   TEXT,
    pdf              BLOB,
    pdf_sha256       TEXT,
    revoked_at       TEXT,
    revoked_by       INTEGER REFERENCES users (id),
    revoke_reason    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX consents_by_patient ON consents (patient_id, id);
