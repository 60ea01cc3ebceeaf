-- Sessions follow the organisation: a session records the session_version of the SSO settings it
-- signed in under, and is no longer honoured once that number changes. It changes when the
-- settings are created and whenever who may sign in changes (the provider, the directory, the
-- client ID or the allowed groups); a new client secret, the mode, provisioning or the secret's
-- expiry date leave it alone.
-- The numbers come from one sequence for every organisation, so none is ever used twice: not
-- after SSO is turned off and on again, nor after an organisation is deleted and created again
-- under the same slug. Each organisation's number only grows (its changes hold the row lock).
CREATE SEQUENCE sso_settings_session_version_seq;

ALTER TABLE sso_settings
    ADD COLUMN session_version bigint NOT NULL DEFAULT nextval('sso_settings_session_version_seq');

-- A trigger, so every way of writing the row (the admin API, a support engineer's SQL) keeps it.
-- The groups are compared as a set: the same list in another order changes nothing.
CREATE FUNCTION sso_settings_session_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.provider, NEW.directory_id, NEW.client_id, ARRAY(SELECT DISTINCT g FROM unnest(NEW.allowed_groups) g ORDER BY g))
            IS DISTINCT FROM
       (OLD.provider, OLD.directory_id, OLD.client_id, ARRAY(SELECT DISTINCT g FROM unnest(OLD.allowed_groups) g ORDER BY g)) THEN
        NEW.session_version := nextval('sso_settings_session_version_seq');
    ELSE
        NEW.session_version := OLD.session_version;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER sso_settings_session_version
    BEFORE UPDATE ON sso_settings
    FOR EACH ROW EXECUTE FUNCTION sso_settings_session_version();
