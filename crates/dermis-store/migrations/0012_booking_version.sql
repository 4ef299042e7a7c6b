-- A version on every booking (issue 16: two desks moving the same booking).
--
-- Each appointment and each plan's session carries the number of changes it
-- has been through; every write to the row bumps it (the store's UPDATEs say
-- `version = version + 1`). The day grid sends back the version it showed,
-- and a move, resize, cancel or "running late" made on a stale one is
-- refused as a conflict naming who changed it, instead of the last write
-- silently winning. Existing rows start at 1.
ALTER TABLE appointments ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE planned_sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
