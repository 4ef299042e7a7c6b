-- The clinic server's backup key pair (issue 21): dumps sealed to a public key.
--
-- The nightly `dermis server-backup` runs on the server PC as the setup user,
-- who holds no clinic secret; it must still write a dump nobody else can
-- read. So the dump is sealed (X25519 + ChaCha20-Poly1305, dermis-store's
-- seal.rs) to the public key kept here in the clear ('public' row: hex), and
-- the private key is kept only WRAPPED, like the audit key of 0008: once per
-- admin under a key derived from their password (Argon2id, XChaCha20-Poly1305,
-- the user name bound in) and once under the recovery key shown once to the
-- admin who made the pair ('recovery' row). A stolen dump, this table, the
-- server's superuser: none opens a dump without an admin's password or the
-- recovery key.
--
-- Admins read and write the rows (they make the pair, re-wrap it for another
-- admin, and read their wrap to restore); no other staff role reaches it.
-- The setup user owns the table and reads the public key to seal its dumps.
CREATE TABLE dump_keys (
    kind       TEXT NOT NULL CHECK (kind IN ('public', 'admin', 'recovery')),
    username   TEXT NOT NULL DEFAULT '' CHECK (username = lower(username) AND length(username) <= 64),
    value      TEXT NOT NULL CHECK (length(value) <= 1024),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, username)
);
