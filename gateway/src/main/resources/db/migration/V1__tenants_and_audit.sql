-- Organisations served by the gateway, one per subdomain.
CREATE TABLE tenant (
    id           uuid        PRIMARY KEY,
    slug         text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    display_name text        NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 200),
    backend_uri  text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Every change made through the admin API, written in the same transaction as the change.
CREATE TABLE audit_event (
    id          bigserial   PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,   -- fingerprint of the admin token, never the token
    action      text        NOT NULL,   -- e.g. tenant.created, tenant.updated, tenant.deleted
    tenant_slug text        NOT NULL,
    subject     text,                    -- what inside the tenant changed, e.g. an account's email
    before      jsonb,
    after       jsonb
);
CREATE INDEX audit_event_tenant_idx ON audit_event (tenant_slug, occurred_at DESC);
