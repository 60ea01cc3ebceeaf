-- Provisioning from Entra (SCIM 2.0).

-- The bearer token Entra's provisioning service presents on the organisation's own host. Only
-- the SHA-256 of the token is stored (it is 256 random bits, so a plain hash is enough); the token
-- itself is shown once. One per organisation: a new one replaces the old, deleting it turns SCIM off.
CREATE TABLE scim_token (
    tenant_id  uuid        PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
    token_hash bytea       NOT NULL CHECK (octet_length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The parts of a person's name that SCIM sends besides the display name, so that what Entra
-- wrote reads back the same and its next cycle sees nothing to update.
CREATE TABLE scim_account (
    account_id  uuid        PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    given_name  text,
    family_name text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Every replica hears of an account that may no longer be used: it stopped being ACTIVE, its link
-- was removed or moved, or it was deleted. Its sessions are then re-checked on their next request
-- instead of within the re-check interval. A trigger, so every way of writing the row (the admin
-- API, SCIM, a support engineer's SQL) sends it; PostgreSQL delivers it once the change is
-- committed. Changes that cannot end a session (enabling, a first link, a sign-in) send nothing.
CREATE FUNCTION account_changed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('lean_account_changed', OLD.id::text);
        RETURN OLD;
    END IF;
    IF (OLD.status = 'ACTIVE' AND NEW.status <> 'ACTIVE')
       OR (OLD.idp_object_id IS NOT NULL
           AND (NEW.idp_directory_id, NEW.idp_object_id) IS DISTINCT FROM (OLD.idp_directory_id, OLD.idp_object_id)) THEN
        PERFORM pg_notify('lean_account_changed', NEW.id::text);
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER account_changed_notify
    AFTER UPDATE OR DELETE ON account
    FOR EACH ROW EXECUTE FUNCTION account_changed_notify();
