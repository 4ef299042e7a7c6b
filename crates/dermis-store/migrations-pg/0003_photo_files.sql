-- Photos on the clinic server live in the database, not in a folder.
--
-- On one PC a photo and its thumbnail are files beside the SQLite database,
-- named by the SHA-256 of the photo (files.rs). A clinic server has no
-- folder every PC can reach (a shared folder is exactly what the server
-- replaces), so the same content-addressed pair is a row here: one backup
-- (pg_dump) then covers every photo, and the grants decide who reads them
-- (the desk does not: pg.rs GRANTS). A picture is stored once however many
-- photo rows point at it, as on disk. Printed documents keep their record in
-- `documents` as on SQLite (the PDFs themselves are not kept on either side).
CREATE TABLE photo_files (
    sha256 TEXT PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    photo  BYTEA NOT NULL,
    thumb  BYTEA NOT NULL
);
-- JPEG and PNG are already compressed: store them out of line uncompressed.
ALTER TABLE photo_files ALTER COLUMN photo SET STORAGE EXTERNAL;
ALTER TABLE photo_files ALTER COLUMN thumb SET STORAGE EXTERNAL;
