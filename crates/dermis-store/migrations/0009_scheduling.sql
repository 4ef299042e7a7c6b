-- Scheduling with length, practitioner and room (issue 19).
--
-- Rooms are a clinic list (Settings -> Rooms); a retired room keeps its past
-- appointments. Every booking (a plan's session, or an appointment: first
-- consultation, review, any other kind the clinic adds) gets a length, the
-- numbing part of that length, a practitioner and a room. Rows that exist
-- before this migration get the defaults of their kind (session 60 minutes
-- with 20 of numbing, consultation 30) and no practitioner or room: they show
-- on the calendar unassigned, and are never refused for that.
CREATE TABLE rooms (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

-- appointments: the kind list becomes the clinic's (checked by the use-case
-- against the settings), so the table is rebuilt without its CHECK on kind.
CREATE TABLE appointments_v7 (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients (id),
    kind            TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    date            TEXT NOT NULL,
    time            TEXT,
    minutes         INTEGER NOT NULL DEFAULT 30 CHECK (minutes BETWEEN 5 AND 480),
    numbing_minutes INTEGER NOT NULL DEFAULT 0 CHECK (numbing_minutes >= 0),
    practitioner_id INTEGER REFERENCES users (id),
    room_id         INTEGER REFERENCES rooms (id),
    status          TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
    checked_in_at   TEXT,
    running_late    INTEGER NOT NULL DEFAULT 0 CHECK (running_late IN (0, 1)),
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      TEXT NOT NULL
) STRICT;
INSERT INTO appointments_v7 (id, patient_id, kind, date, time, minutes, numbing_minutes, status, checked_in_at, created_by, created_at)
    SELECT id, patient_id, kind, date, time, 30, 0, status, checked_in_at, created_by, created_at FROM appointments;
DROP TABLE appointments;
ALTER TABLE appointments_v7 RENAME TO appointments;
CREATE INDEX appointments_by_date ON appointments (date, time);
CREATE INDEX appointments_by_patient ON appointments (patient_id);

ALTER TABLE planned_sessions ADD COLUMN minutes INTEGER NOT NULL DEFAULT 60 CHECK (minutes BETWEEN 5 AND 480);
ALTER TABLE planned_sessions ADD COLUMN numbing_minutes INTEGER NOT NULL DEFAULT 20 CHECK (numbing_minutes >= 0);
ALTER TABLE planned_sessions ADD COLUMN practitioner_id INTEGER REFERENCES users (id);
ALTER TABLE planned_sessions ADD COLUMN room_id INTEGER REFERENCES rooms (id);
ALTER TABLE planned_sessions ADD COLUMN running_late INTEGER NOT NULL DEFAULT 0 CHECK (running_late IN (0, 1));
