-- Single sign-on settings of an organisation: the three credentials from the help article.
CREATE TABLE sso_settings (
    tenant_id                 uuid        PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
    provider                  text        NOT NULL,            -- e.g. entra
    directory_id              text        NOT NULL,            -- Entra: the Directory (tenant) ID
    client_id                 text        NOT NULL,            -- Entra: the Application (client) ID
    client_secret_ciphertext  bytea       NOT NULL,            -- AES-GCM; never the plain secret
    client_secret_key_id      text        NOT NULL,            -- which LEAN_SECRETS_KEY encrypted it
    client_secret_expires_at  date,
    mode                      text        NOT NULL CHECK (mode IN ('REQUIRED', 'OPTIONAL')),
    provisioning              text        NOT NULL CHECK (provisioning IN ('EXISTING_ONLY', 'AUTO_ACTIVATE', 'PENDING_ACTIVATION')),
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now()
);

-- People who may use LEAN in an organisation. The first SSO sign-in links an account by email;
-- from then on the identity provider's immutable ids (Entra tid + oid) identify it.
CREATE TABLE account (
    id               uuid        PRIMARY KEY,
    tenant_id        uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    email            text        NOT NULL,
    display_name     text,
    status           text        NOT NULL CHECK (status IN ('ACTIVE', 'PENDING_ACTIVATION', 'DISABLED')),
    idp_issuer       text,
    idp_directory_id text,
    idp_object_id    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    last_sign_in_at  timestamptz,
    CHECK ((idp_directory_id IS NULL) = (idp_object_id IS NULL))
);
CREATE UNIQUE INDEX account_email_uq ON account (tenant_id, lower(email));
CREATE UNIQUE INDEX account_identity_uq ON account (tenant_id, idp_directory_id, idp_object_id)
    WHERE idp_object_id IS NOT NULL;
CREATE INDEX account_status_idx ON account (tenant_id, status);
