-- Certificate credentials (private_key_jwt): the gateway signs a short-lived client assertion with a
-- private key that never leaves it; the organisation uploads only the public certificate to its
-- app registration.

-- Which credential authenticates the organisation's token requests. With 'certificate' no client
-- secret is needed; one entered before is kept, so switching back needs no new secret.
ALTER TABLE sso_settings
    ADD COLUMN credential_type text NOT NULL DEFAULT 'client_secret'
        CHECK (credential_type IN ('client_secret', 'certificate')),
    ALTER COLUMN client_secret_ciphertext DROP NOT NULL,
    ALTER COLUMN client_secret_key_id DROP NOT NULL,
    ADD CHECK ((client_secret_ciphertext IS NULL) = (client_secret_key_id IS NULL)),
    ADD CHECK (credential_type = 'certificate' OR client_secret_ciphertext IS NOT NULL);

-- The organisation's certificates. A new one is PENDING until a verification shows Microsoft accepts
-- it; it then becomes the one ACTIVE certificate (the one that signs) and the previous one RETIRED.
-- A RETIRED certificate never signs again: its private key is removed.
CREATE TABLE sso_certificate (
    id                      uuid        PRIMARY KEY,
    tenant_id               uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    status                  text        NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'RETIRED')),
    certificate_der         bytea       NOT NULL,      -- the public X.509 certificate, as uploaded to Entra
    thumbprint_sha1         text        NOT NULL,      -- upper-case hex, as the Entra admin center shows it
    thumbprint_sha256       text        NOT NULL,      -- upper-case hex
    not_before              timestamptz NOT NULL,
    not_after               timestamptz NOT NULL,
    private_key_ciphertext  bytea,                     -- AES-GCM of the PKCS#8 key; never the plain key
    private_key_key_id      text,                      -- which LEAN_SECRETS_KEY encrypted it
    created_at              timestamptz NOT NULL DEFAULT now(),
    activated_at            timestamptz,
    retired_at              timestamptz,
    CHECK ((private_key_ciphertext IS NULL) = (private_key_key_id IS NULL)),
    CHECK (status = 'RETIRED' OR private_key_ciphertext IS NOT NULL)
);
-- At most one certificate signs; a second activation (another replica's) fails instead of adding one.
CREATE UNIQUE INDEX sso_certificate_one_active ON sso_certificate (tenant_id) WHERE status = 'ACTIVE';
CREATE INDEX sso_certificate_tenant_idx ON sso_certificate (tenant_id, created_at);

-- Which expiry warnings about certificates were logged: the replica whose INSERT succeeds logs.
CREATE TABLE sso_certificate_expiry_warning (
    certificate_id  uuid        NOT NULL REFERENCES sso_certificate (id) ON DELETE CASCADE,
    threshold_days  integer     NOT NULL,       -- e.g. 60, 30, 14, 7, 1; 0 once it has expired
    announced_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (certificate_id, threshold_days)
);
