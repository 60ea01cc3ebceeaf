-- Activation of accounts created PENDING_ACTIVATION at first sign-in.

-- When the last activation mail was sent: at most one per account per resend interval.
ALTER TABLE account ADD COLUMN activation_sent_at timestamptz;

-- Activation links. Only the SHA-256 of the token is stored; the token itself exists only in the mail.
CREATE TABLE account_activation (
    token_hash bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    account_id uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX account_activation_account_idx ON account_activation (account_id);
