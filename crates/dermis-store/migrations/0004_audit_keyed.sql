-- The audit chain becomes keyed (issue 14). Rows already written keep their
-- unkeyed SHA-256 hashes (the log is append-only, nothing is rewritten);
-- `chain` says which formula a row's hash uses:
--   1  SHA-256 over the fields and the previous hash (before this migration)
--   2  HMAC-SHA-256 with the clinic's secret key, kept outside the database
-- The first keyed row's MAC covers the last unkeyed row's hash, so the old
-- rows cannot be rewritten either without the key.
ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 1;
