-- The SQLite schema's version 5 (migrations/0005_plan_version.sql): plans
-- carry a version for optimistic checks.
ALTER TABLE plans ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
UPDATE app_meta SET value = '5' WHERE key = 'schema_version';
