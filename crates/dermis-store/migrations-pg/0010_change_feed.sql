-- The change feed (issue 16, "Live"): every committed change to a table a
-- screen shows is announced on the channel `dermis_changes`, so every PC's
-- screens reload within a second of another PC's write (see dermis-store's
-- live.rs, which lists the same tables with the same kinds for SQLite).
--
-- The payload is `{"k": kind, "op": op, "p": patient id or null}`: ids
-- only, never a fact. Any role that may connect can LISTEN, so the kinds
-- are coarse: every clinical table is `session` (not even the table name
-- says which kind of clinical record a patient got). PostgreSQL sends the
-- notifications at commit only (a rolled-back write announces nothing) and
-- folds identical ones within a transaction.
--
-- SECURITY DEFINER: the trigger looks up a row's patient through its plan
-- or session record, which the writing role may not read (a receptionist
-- moving a planned session); it returns nothing to the caller.
--
-- PostgreSQL only: the SQLite file's schema is unchanged (its schema_version
-- stays where migration 0009 left it).
CREATE FUNCTION dermis_notify_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r record;
    p bigint;
BEGIN
    -- Fields are read off the row itself (no to_jsonb: a printed document's
    -- PDF would be encoded just to be thrown away).
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
    END IF;
    IF TG_ARGV[1] = 'id' THEN
        p := r.id;
    ELSIF TG_ARGV[1] = 'patient_id' THEN
        p := r.patient_id;
    ELSIF TG_ARGV[1] = 'plan' THEN
        SELECT patient_id INTO p FROM plans WHERE id = r.plan_id;
    ELSIF TG_ARGV[1] = 'session_record' THEN
        SELECT patient_id INTO p FROM session_records WHERE id = r.session_record_id;
    END IF;
    PERFORM pg_notify('dermis_changes',
        json_build_object('k', TG_ARGV[0], 'op', lower(TG_OP), 'p', p)::text);
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION dermis_notify_change() FROM PUBLIC;

CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON patients
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('patient', 'id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('patient', 'patient_id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON appointments
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('appointment', 'patient_id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON plans
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('plan', 'patient_id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON planned_sessions
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('plan', 'plan');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON recalls
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('recall', 'patient_id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON recall_contacts
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('recall', 'patient_id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON screenings
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('session', 'patient_id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON assessments
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('session', 'patient_id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON session_records
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('session', 'patient_id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON healing_reports
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('session', 'session_record');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON adverse_events
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('session', 'patient_id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON photos
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('session', 'patient_id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON consents
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('session', 'patient_id');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('settings', '');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON clinic
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('settings', '');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON rooms
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('settings', '');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('settings', '');
CREATE TRIGGER dermis_live AFTER INSERT OR UPDATE OR DELETE ON consent_templates
    FOR EACH ROW EXECUTE FUNCTION dermis_notify_change('settings', '');
