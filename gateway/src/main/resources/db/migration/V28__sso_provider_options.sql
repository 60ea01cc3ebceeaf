-- Any OpenID Connect provider (#17): the settings only a generic provider has (scopes, claim names,
-- whether emails must be verified, allowed email domains) as one JSON object; NULL for Entra, whose
-- fields are the columns alone. For provider 'oidc', directory_id holds the issuer URL.
ALTER TABLE sso_settings ADD COLUMN provider_options jsonb
    CHECK (provider_options IS NULL OR jsonb_typeof(provider_options) = 'object');
