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

-- The sign-in lockout across PCs (5 wrong passwords in 15 minutes lock a
-- user name). On a file the app counts `login.failed` audit entries; on the
-- server a wrong password is refused by PostgreSQL before the app can write
-- anything as that person. So each PC reports the refusal through the
-- clinic's sign-in gate role (`<db>#gate`, pg.rs), whose only rights are
-- these two functions: it can count and add failures, read nothing else.
CREATE TABLE sign_in_failures (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX sign_in_failures_by_name ON sign_in_failures (username, at);
CREATE FUNCTION dermis_sign_in_failed(name TEXT, at TEXT) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM sign_in_failures
     WHERE at < to_char((now() - interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
    INSERT INTO sign_in_failures (username, at) VALUES (left(lower(name), 64), left(at, 40));
$$;
CREATE FUNCTION dermis_sign_in_failures(name TEXT, since TEXT) RETURNS BIGINT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT count(*) FROM sign_in_failures WHERE username = left(lower(name), 64) AND at >= since;
$$;
REVOKE ALL ON FUNCTION dermis_sign_in_failed(TEXT, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION dermis_sign_in_failures(TEXT, TEXT) FROM PUBLIC;

-- Password hashes, by column (pg.rs): practitioners and receptionists may not
-- read `users.password_hash` (only the admin manages accounts). Signing in
-- and changing one's own password still compare against one's OWN hash:
-- this function gives a connection the hash of the account whose login role
-- it is (and any hash to a role that may read the column anyway), NULL else.
CREATE FUNCTION dermis_password_hash(user_id BIGINT) RETURNS TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT password_hash FROM users
     WHERE id = user_id
       AND (session_user::text = (current_database() || '_' || lower(username)) COLLATE "C"
            OR has_column_privilege(session_user, 'public.users'::regclass, 'password_hash', 'SELECT'));
$$;
REVOKE ALL ON FUNCTION dermis_password_hash(BIGINT) FROM PUBLIC;
