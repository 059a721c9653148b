-- Sandbox TTL policy (docs/operations.md, "Sandbox TTL policy"): a project's own default and maximum
-- time to live of its sandboxes, in minutes. NULL: the global SANDBOX_DEFAULT_TTL / SANDBOX_MAX_TTL.
-- 43200 minutes (30 days) is the absolute cap, which not even an admin's exemption passes.
ALTER TABLE project ADD COLUMN sandbox_default_ttl_minutes INTEGER;
ALTER TABLE project ADD COLUMN sandbox_max_ttl_minutes INTEGER;

ALTER TABLE project ADD CONSTRAINT project_sandbox_default_ttl_check
    CHECK (sandbox_default_ttl_minutes BETWEEN 1 AND 43200);
ALTER TABLE project ADD CONSTRAINT project_sandbox_max_ttl_check
    CHECK (sandbox_max_ttl_minutes BETWEEN 1 AND 43200);
ALTER TABLE project ADD CONSTRAINT project_sandbox_ttl_order_check
    CHECK (sandbox_default_ttl_minutes IS NULL OR sandbox_max_ttl_minutes IS NULL
           OR sandbox_default_ttl_minutes <= sandbox_max_ttl_minutes);
