-- Photos of an ENCRYPTED clinic live inside its (SQLCipher-encrypted)
-- database, as they do on the clinic server (migrations-pg 0006).
--
-- A plaintext clinic keeps its pictures as files beside the database
-- (files.rs) and leaves this table empty. An encrypted clinic keeps each
-- content-addressed pair here instead, so the database's encryption covers
-- them and every backup and restore (one file) carries them encrypted,
-- with no second cipher, key or file format to get right (see files.rs).
CREATE TABLE photo_files (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    photo  BLOB NOT NULL,
    thumb  BLOB NOT NULL
);
