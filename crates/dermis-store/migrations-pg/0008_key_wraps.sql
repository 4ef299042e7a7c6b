-- The clinic's audit key, handed to each PC that joins the clinic server
-- (issue 16).
--
-- The audit chain is keyed (HMAC) with a key kept OUTSIDE the database
-- (issue 14): whoever can write to the database but does not hold the key
-- cannot forge an entry. Every PC that writes needs that key, and a PC that
-- joins the server must get it without anyone copying folders by hand. So it
-- is kept here, but only WRAPPED: once per Dermis user, under a key derived
-- from that user's own password (Argon2id) with XChaCha20-Poly1305, the
-- user name bound in as associated data. The server, its superuser and a
-- stolen dump hold nothing that opens it without a password.
--
-- Each connection reads only its own wrap (dermis_my_key_wrap(), by its
-- login role). A PC that holds the key writes wraps: an admin for another
-- account when creating it or resetting its password (dermis_set_key_wrap,
-- admin group only), anyone for themselves when they sign in on a PC that
-- holds the key or change their own password (dermis_set_my_key_wrap). A
-- deactivated account's wrap is removed with its login (the admin).
CREATE TABLE key_wraps (
    username   TEXT PRIMARY KEY CHECK (username = lower(username) AND length(username) <= 64),
    wrap       TEXT NOT NULL CHECK (length(wrap) <= 1024),
    updated_at TEXT NOT NULL
);

CREATE FUNCTION dermis_my_key_wrap() RETURNS TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT wrap FROM key_wraps
     WHERE session_user::text = (current_database() || '_' || username) COLLATE "C";
$$;

CREATE FUNCTION dermis_set_my_key_wrap(w TEXT, at TEXT) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO key_wraps (username, wrap, updated_at)
    SELECT lower(u.username), w, left(at, 40) FROM users u
     WHERE u.active <> 0
       AND session_user::text = (current_database() || '_' || lower(u.username)) COLLATE "C"
    ON CONFLICT (username) DO UPDATE SET wrap = excluded.wrap, updated_at = excluded.updated_at;
$$;

CREATE FUNCTION dermis_set_key_wrap(name TEXT, w TEXT, at TEXT) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO key_wraps (username, wrap, updated_at)
    SELECT lower(u.username), w, left(at, 40) FROM users u WHERE lower(u.username) = lower(name)
    ON CONFLICT (username) DO UPDATE SET wrap = excluded.wrap, updated_at = excluded.updated_at;
$$;

CREATE FUNCTION dermis_drop_key_wrap(name TEXT) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM key_wraps WHERE username = lower(name);
$$;

REVOKE ALL ON FUNCTION dermis_my_key_wrap() FROM PUBLIC;
REVOKE ALL ON FUNCTION dermis_set_my_key_wrap(TEXT, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION dermis_set_key_wrap(TEXT, TEXT, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION dermis_drop_key_wrap(TEXT) FROM PUBLIC;
