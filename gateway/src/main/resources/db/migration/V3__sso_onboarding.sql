-- Onboarding of an organisation's SSO: group allow-list, credential verification, secret expiry warnings.

-- Object ids of the directory groups whose members may use LEAN; empty allows everyone the IdP signs in.
ALTER TABLE sso_settings ADD COLUMN allowed_groups text[] NOT NULL DEFAULT '{}';

-- The last verification of the stored credentials against the identity provider.
CREATE TABLE sso_verification (
    tenant_id           uuid        PRIMARY KEY REFERENCES sso_settings (tenant_id) ON DELETE CASCADE,
    verified_at         timestamptz NOT NULL,
    ok                  boolean     NOT NULL,
    settings_updated_at timestamptz NOT NULL,   -- sso_settings.updated_at of the settings verified
    checks              jsonb       NOT NULL    -- one object per check; never a secret or a token
);

-- Which expiry warnings were logged: the replica whose INSERT succeeds logs, the others stay quiet.
CREATE TABLE sso_secret_expiry_warning (
    tenant_id      uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    expires_at     date        NOT NULL,
    threshold_days integer     NOT NULL,       -- 30, 14, 7, 1; 0 once it has expired
    announced_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, expires_at, threshold_days)
);
