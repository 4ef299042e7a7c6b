-- The recall call list's contact log (issue 18): every call the desk makes
-- about a maintenance recall, with its outcome, a note, who and when.
--
-- recall_id is SET NULL, not CASCADE, when a recall row goes: re-planning
-- replaces a plan's open recalls with new rows, and the calls already made
-- must not vanish with them (the list shows a patient's orphaned calls on
-- the patient's new recall). patient_id keeps them tied to the patient, and
-- erasure deletes them with the patient.
CREATE TABLE recall_contacts (
    id         INTEGER PRIMARY KEY,
    recall_id  INTEGER REFERENCES recalls (id) ON DELETE SET NULL,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    due        TEXT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('called', 'no_answer', 'left_message', 'booked', 'declined')),
    note       TEXT NOT NULL DEFAULT '',
    user_id    INTEGER NOT NULL REFERENCES users (id),
    at         TEXT NOT NULL
) STRICT;
CREATE INDEX recall_contacts_by_recall ON recall_contacts (recall_id, id);
CREATE INDEX recall_contacts_by_patient ON recall_contacts (patient_id, id);
