-- The SQLite schema's version 7 (migrations/0007_patient_merge.sql): a
-- merged patient record points at the record it was merged into.
ALTER TABLE patients ADD COLUMN merged_into BIGINT REFERENCES patients (id);
CREATE INDEX patients_by_merged_into ON patients (merged_into);
UPDATE app_meta SET value = '7' WHERE key = 'schema_version';
