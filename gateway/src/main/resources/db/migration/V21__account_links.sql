-- Account links that a directory administrator cannot hijack.

-- Whether a member's preferred_username alone (no email the directory vouches for) may link an
-- existing account by email. Off unless the organisation asks for it.
ALTER TABLE sso_settings ADD COLUMN link_by_username boolean NOT NULL DEFAULT false;

-- Emails are stored and compared in one form: Unicode NFC, lower case (EmailAddresses in the code,
-- which lower-cases by the root locale; ICU's root locale does the same here when the server has
-- it). Where two rows of an organisation fold to the same address, the one already in that form
-- (else the oldest) gets it and the others keep their spelling, so nothing is lost; an
-- administrator merges them by hand.
DROP INDEX account_email_uq;
DO $$
DECLARE
    folded text := CASE WHEN EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')
        THEN 'normalize(lower(normalize(btrim(email), NFC) COLLATE "und-x-icu"), NFC)'
        ELSE 'normalize(lower(normalize(btrim(email), NFC)), NFC)' END;
BEGIN
    EXECUTE format($sql$
        UPDATE account a SET email = n.folded, updated_at = now()
          FROM (SELECT id, %1$s AS folded,
                       row_number() OVER (PARTITION BY tenant_id, %1$s
                                          ORDER BY (email = %1$s) DESC, created_at, id) AS rank
                  FROM account) n
         WHERE a.id = n.id AND n.rank = 1 AND a.email <> n.folded
        $sql$, folded);
END $$;
CREATE UNIQUE INDEX account_email_uq ON account (tenant_id, email);
