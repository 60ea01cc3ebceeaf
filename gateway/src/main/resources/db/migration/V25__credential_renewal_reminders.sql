-- Whom to mail when an organisation's SSO credential is about to expire (usually its Entra administrator).
ALTER TABLE tenant ADD COLUMN technical_contact_email text;

-- Which renewal reminders were mailed: the replica whose INSERT succeeds mails, the others stay quiet.
-- A reminder whose mail could not be sent is deleted again, so the next check retries it.
CREATE TABLE sso_renewal_reminder (
    tenant_id      uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    expires_at     date        NOT NULL,       -- the expiry of the credential it is about
    threshold_days integer     NOT NULL,       -- 30, 14 or 7
    mailed_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, expires_at, threshold_days)
);
