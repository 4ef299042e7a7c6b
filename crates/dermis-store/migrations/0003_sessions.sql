-- Dermis schema, version 3: session records, healing follow-up with adverse
-- events, and clinical photos.

-- The weeks before this session when slow healing lengthened them (NULL = the plan's interval).
ALTER TABLE planned_sessions ADD COLUMN gap_weeks INTEGER;

CREATE TABLE session_records (
    id                 INTEGER PRIMARY KEY,
    planned_session_id INTEGER NOT NULL UNIQUE REFERENCES planned_sessions (id),
    patient_id         INTEGER NOT NULL REFERENCES patients (id),
    performed_on       TEXT NOT NULL,
    numbing_cream      TEXT NOT NULL,
    numbing_minutes    INTEGER,
    device             TEXT NOT NULL,
    cartridge_lot      TEXT NOT NULL,
    skin               TEXT NOT NULL CHECK (skin IN ('thin', 'thick')),
    depths             TEXT NOT NULL,   -- JSON [{zone, depth_um, above_ceiling}]
    passes             INTEGER NOT NULL,
    glide_product      TEXT NOT NULL,
    glide_lot          TEXT NOT NULL,
    endpoint           TEXT NOT NULL,
    immediate_reaction TEXT NOT NULL,
    duration_minutes   INTEGER,
    notes              TEXT NOT NULL,
    ceiling_confirmed  INTEGER NOT NULL CHECK (ceiling_confirmed IN (0, 1)),
    screening_override_reason TEXT NOT NULL,
    warnings           TEXT NOT NULL,   -- JSON [sentence]: the screening's warnings at the time
    recorded_by        INTEGER NOT NULL REFERENCES users (id),
    created_at         TEXT NOT NULL
) STRICT;
CREATE INDEX session_records_by_patient ON session_records (patient_id, performed_on, id);

CREATE TABLE healing_reports (
    id                INTEGER PRIMARY KEY,
    session_record_id INTEGER NOT NULL UNIQUE REFERENCES session_records (id),
    reported_on       TEXT NOT NULL,
    redness_days      INTEGER NOT NULL,
    flaking_days      INTEGER NOT NULL,
    notes             TEXT NOT NULL,
    decision          TEXT NOT NULL,
    recorded_by       INTEGER NOT NULL REFERENCES users (id),
    created_at        TEXT NOT NULL
) STRICT;

CREATE TABLE adverse_events (
    id                INTEGER PRIMARY KEY,
    healing_report_id INTEGER NOT NULL REFERENCES healing_reports (id),
    session_record_id INTEGER NOT NULL REFERENCES session_records (id),
    patient_id        INTEGER NOT NULL REFERENCES patients (id),
    kind              TEXT NOT NULL CHECK (kind IN ('erythema', 'oedema', 'pih', 'acne_flare', 'infection',
                          'herpes_reactivation', 'tram_track_scarring', 'granuloma', 'other')),
    description       TEXT NOT NULL,
    reported_on       TEXT NOT NULL
) STRICT;
CREATE INDEX adverse_events_by_date ON adverse_events (reported_on, id);

CREATE TABLE photos (
    id                INTEGER PRIMARY KEY,
    patient_id        INTEGER NOT NULL REFERENCES patients (id),
    sha256            TEXT NOT NULL,   -- the stored file's name: photos/<first 2>/<sha256>.<ext>
    mime              TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
    width             INTEGER NOT NULL,
    height            INTEGER NOT NULL,
    bytes             INTEGER NOT NULL,
    taken_on          TEXT NOT NULL,
    area              TEXT NOT NULL,
    angle             TEXT NOT NULL,
    session_record_id INTEGER REFERENCES session_records (id),
    assessment_id     INTEGER REFERENCES assessments (id),
    imported_by       INTEGER NOT NULL REFERENCES users (id),
    imported_at       TEXT NOT NULL,
    UNIQUE (patient_id, sha256)
) STRICT;
CREATE INDEX photos_by_patient ON photos (patient_id, area, angle, taken_on);

-- The reception desk: when the patient arrived for a planned session.
ALTER TABLE planned_sessions ADD COLUMN checked_in_at TEXT;

-- The clinic's letterhead: an e-mail address and a logo (PNG or JPEG, checked on upload).
ALTER TABLE clinic ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE clinic ADD COLUMN logo BLOB;
ALTER TABLE clinic ADD COLUMN logo_mime TEXT;

-- Every document printed or saved for a patient (aftercare sheets, summaries, schedule cards).
CREATE TABLE documents (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    kind       TEXT NOT NULL CHECK (kind IN ('aftercare', 'progress_summary', 'schedule_card')),
    title      TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    pages      INTEGER NOT NULL,
    bytes      INTEGER NOT NULL,
    printed_by INTEGER NOT NULL REFERENCES users (id),
    printed_at TEXT NOT NULL
) STRICT;
CREATE INDEX documents_by_patient ON documents (patient_id, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);

-- Visits outside a plan: the first consultation (screening and assessment).
CREATE TABLE appointments (
    id            INTEGER PRIMARY KEY,
    patient_id    INTEGER NOT NULL REFERENCES patients (id),
    kind          TEXT NOT NULL CHECK (kind IN ('consultation')),
    date          TEXT NOT NULL,
    time          TEXT,
    status        TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
    checked_in_at TEXT,
    created_by    INTEGER NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX appointments_by_date ON appointments (date, time);
