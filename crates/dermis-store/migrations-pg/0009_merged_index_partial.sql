-- Mirrors SQLite migration 0010: the index on `merged_into` holds only
-- merged records (the only ones ever looked up by it), so no planner reads
-- the whole patient list through it for `merged_into IS NULL`.
DROP INDEX patients_by_merged_into;
CREATE INDEX patients_by_merged_into ON patients (merged_into) WHERE merged_into IS NOT NULL;
UPDATE app_meta SET value = '10' WHERE key = 'schema_version';
