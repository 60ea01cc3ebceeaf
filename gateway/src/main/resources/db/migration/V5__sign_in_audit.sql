-- Every sign-in attempt and its outcome, so support can answer "why can't Alice sign in?" without logs.
-- Never a token: only the IdP's identifiers (error code, correlation id, the ID token's own id).
CREATE TABLE sign_in_event (
    id             bigserial   PRIMARY KEY,
    tenant_id      uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    outcome        text        NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE')),
    reason         text        NOT NULL,   -- e.g. signed_in, id_token_rejected, idp_error, no_account
    detail         text,                   -- e.g. which ID token check failed
    error_code     text,                   -- e.g. AADSTS50105
    account_id     uuid        REFERENCES account (id) ON DELETE SET NULL,
    email          text,
    idp_object_id  text,
    correlation_id text,                   -- the IdP's correlation id of a failure
    idp_token_id   text                    -- the ID token's unique id (Entra uti) of a success
);
CREATE INDEX sign_in_event_tenant_idx ON sign_in_event (tenant_id, occurred_at DESC);
CREATE INDEX sign_in_event_time_idx ON sign_in_event (occurred_at);
