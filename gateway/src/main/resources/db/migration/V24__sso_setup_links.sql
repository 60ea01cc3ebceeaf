-- Self-service SSO setup (#15): one-time links that LEAN support creates for an organisation's
-- Entra administrator, the setup sessions they open, and the draft credentials entered there.

-- A link. Only the SHA-256 of its 256-bit token is stored; the token exists only in the URL handed
-- to support (and the mail). It opens once, on its own organisation's host, until it expires or is
-- revoked.
CREATE TABLE sso_setup_link (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    token_hash  bytea       NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    email       text,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX sso_setup_link_tenant_idx ON sso_setup_link (tenant_id, created_at);

-- The setup session a link was exchanged for: kept here rather than in a replica's memory, so
-- revoking the link ends it on every replica at once. The cookie carries a random id whose SHA-256
-- is the key. The draft lives here, apart from the live sso_settings, until it is activated; its
-- secret is sealed like a live one. draft_version counts every change of the draft: a test
-- sign-in counts only for the version it ran with.
CREATE TABLE sso_setup_session (
    id_hash                  bytea       PRIMARY KEY CHECK (octet_length(id_hash) = 32),
    link_id                  uuid        NOT NULL UNIQUE REFERENCES sso_setup_link (id) ON DELETE CASCADE,
    csrf_token               text        NOT NULL,
    created_at               timestamptz NOT NULL DEFAULT now(),
    expires_at               timestamptz NOT NULL,
    provider                 text,
    directory_id             text,
    client_id                text,
    client_secret_ciphertext bytea,
    client_secret_key_id     text,
    client_secret_expires_at date,
    draft_version            integer     NOT NULL DEFAULT 0,
    verification             jsonb,
    consent                  jsonb,
    test_result              jsonb,
    test_draft_version       integer,
    activated_at             timestamptz,
    -- a sign-in or consent started at the provider and not yet back: its state, the hash of the
    -- browser-bound cookie that must come back with it, and what the callback needs to finish it
    flow_state               text        UNIQUE,
    flow_binder_hash         bytea,
    flow_started_at          timestamptz,
    flow                     jsonb
);
