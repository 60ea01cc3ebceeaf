-- The setup page offers a certificate as the draft's credential (#15 step 2, #16): the draft records
-- which credential it uses and, for a certificate, which one (generated PENDING for the organisation
-- on the setup page; it becomes ACTIVE only when the draft is activated).
ALTER TABLE sso_setup_session
    ADD COLUMN credential_type text NOT NULL DEFAULT 'client_secret'
        CHECK (credential_type IN ('client_secret', 'certificate')),
    ADD COLUMN certificate_id  uuid REFERENCES sso_certificate (id) ON DELETE SET NULL;
