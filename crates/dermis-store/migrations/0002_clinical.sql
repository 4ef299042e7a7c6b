-- Dermis schema, version 2: clinic settings, screenings, assessments, plans
-- with their sessions, and maintenance recalls.

-- JSON documents keyed by name: 'plan_settings', 'contraindication_rules'.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE screenings (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patients (id),
    screened_on TEXT NOT NULL,
    answers     TEXT NOT NULL,   -- JSON [{condition, present, last_date}]
    notes       TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL,   -- JSON ScreeningResult, as evaluated with the rules in force
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX screenings_by_patient ON screenings (patient_id, screened_on, id);

CREATE TABLE assessments (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients (id),
    assessed_on     TEXT NOT NULL,
    scar_types      TEXT NOT NULL,   -- JSON ["ice_pick", ...]
    grade           INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
    counts          TEXT NOT NULL,   -- JSON GbCounts
    score           INTEGER NOT NULL,
    fitzpatrick     INTEGER NOT NULL CHECK (fitzpatrick BETWEEN 1 AND 6),
    sensitivity     TEXT NOT NULL CHECK (sensitivity IN ('sensitive', 'normal', 'resilient')),
    treatment_areas TEXT NOT NULL,   -- JSON ["forehead", ...]
    scar_age_years  INTEGER NOT NULL,
    notes           TEXT NOT NULL DEFAULT '',
    recorded_by     INTEGER NOT NULL REFERENCES users (id),
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX assessments_by_patient ON assessments (patient_id, assessed_on, id);

CREATE TABLE plans (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients (id),
    assessment_id   INTEGER NOT NULL REFERENCES assessments (id),
    status          TEXT NOT NULL CHECK (status IN ('active', 'paused', 'completed', 'cancelled')),
    start           TEXT NOT NULL,
    session_count   INTEGER NOT NULL,
    interval_weeks  INTEGER NOT NULL,
    shortest_weeks  INTEGER NOT NULL,
    maintenance_months INTEGER NOT NULL,
    override_reason TEXT NOT NULL DEFAULT '',
    rationale       TEXT NOT NULL,   -- JSON [sentence]
    warnings        TEXT NOT NULL,   -- JSON [sentence]
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX plans_by_patient ON plans (patient_id, id);

CREATE TABLE planned_sessions (
    id      INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    n       INTEGER NOT NULL,
    date    TEXT NOT NULL,
    time    TEXT,                -- 'HH:MM' once the desk books a time; NULL until then
    status  TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'done', 'cancelled')),
    UNIQUE (plan_id, n)
) STRICT;
CREATE INDEX planned_sessions_by_date ON planned_sessions (date, plan_id);

CREATE TABLE recalls (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans (id),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    due        TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'done', 'cancelled'))
) STRICT;
CREATE INDEX recalls_by_due ON recalls (status, due);
CREATE INDEX recalls_by_plan ON recalls (plan_id);

-- Sign-in rate limiting counts recent failed attempts per typed user name.
CREATE INDEX audit_log_by_user_action ON audit_log (username, action, at);
