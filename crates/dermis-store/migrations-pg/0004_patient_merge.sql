-- The SQLite schema's version 6 (migrations/0006_patient_merge.sql): a
-- merged patient record points at the record it was merged into.
ALTER TABLE patients ADD COLUMN merged_into BIGINT REFERENCES patients (id);
CREATE INDEX patients_by_merged_into ON patients (merged_into);
UPDATE app_meta SET value = '6' WHERE key = 'schema_version';
