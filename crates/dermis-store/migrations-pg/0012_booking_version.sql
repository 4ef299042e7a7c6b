-- A version on every booking (issue 16; mirrors SQLite migration 0012).
--
-- Each appointment and each plan's session carries the number of changes it
-- has been through; every write to the row bumps it. A move, resize, cancel
-- or "running late" made on a version older than the row's is refused as a
-- conflict naming who changed it. Existing rows start at 1. The tables'
-- grants already cover the new column (table-level, see pg.rs GRANTS).
ALTER TABLE appointments ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE planned_sessions ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1);
