-- Any OpenID Connect provider (#17): the settings only a generic provider has (scopes, claim names,
-- whether emails must be verified, allowed email domains) as one JSON object; NULL for Entra, whose
-- fields are the columns alone. For provider 'oidc', directory_id holds the issuer URL.
ALTER TABLE sso_settings ADD COLUMN provider_options jsonb
    CHECK (provider_options IS NULL OR jsonb_typeof(provider_options) = 'object');

-- Who may sign in also depends on these options (the claims read, whether emails must be verified, the
-- allowed email domains): changing them ends the organisation's sessions, as changing the
-- directory or the groups does (V22). The scopes only shape the request and leave sessions alone.
CREATE OR REPLACE FUNCTION sso_settings_session_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.provider, NEW.directory_id, NEW.client_id, ARRAY(SELECT DISTINCT g FROM unnest(NEW.allowed_groups) g ORDER BY g),
        NEW.provider_options - 'scopes')
            IS DISTINCT FROM
       (OLD.provider, OLD.directory_id, OLD.client_id, ARRAY(SELECT DISTINCT g FROM unnest(OLD.allowed_groups) g ORDER BY g),
        OLD.provider_options - 'scopes') THEN
        NEW.session_version := nextval('sso_settings_session_version_seq');
    ELSE
        NEW.session_version := OLD.session_version;
    END IF;
    RETURN NEW;
END
$$;
