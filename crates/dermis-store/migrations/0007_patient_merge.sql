-- Two records of one person merged into one (issue 22). Everything recorded
-- about the record merged away moves to the kept one; the emptied record
-- stays, archived, pointing at the kept one, so that an old patient number
-- on a printed card or in the audit log still leads to the person.
ALTER TABLE patients ADD COLUMN merged_into INTEGER REFERENCES patients (id);
CREATE INDEX patients_by_merged_into ON patients (merged_into);
