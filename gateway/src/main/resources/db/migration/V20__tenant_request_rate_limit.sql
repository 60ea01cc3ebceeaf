-- Per-organisation request rate limit (requests per second); NULL means the configured default
-- (lean.rate-limit.default-requests-per-second).
ALTER TABLE tenant ADD COLUMN requests_per_second integer CHECK (requests_per_second > 0);
