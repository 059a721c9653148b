-- Projects and their environments (PRODUCT.md section 2).

CREATE TABLE project (
    id                UUID PRIMARY KEY,
    name              VARCHAR(63)   NOT NULL,
    description       VARCHAR(2000),
    teams_webhook_url VARCHAR(2048),
    email_recipients  TEXT[]        NOT NULL DEFAULT '{}',
    created_at        TIMESTAMPTZ   NOT NULL,
    updated_at        TIMESTAMPTZ   NOT NULL,
    CONSTRAINT project_name_unique UNIQUE (name)
);

CREATE TABLE environment (
    id          UUID PRIMARY KEY,
    project_id  UUID         NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name        VARCHAR(63)  NOT NULL,
    type        VARCHAR(16)  NOT NULL CHECK (type IN ('sandbox', 'dev', 'stage', 'prod')),
    ttl_minutes INTEGER,
    expires_at  TIMESTAMPTZ,
    status      VARCHAR(16)  NOT NULL CHECK (status IN ('active', 'expiring', 'expired')),
    created_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT environment_name_unique UNIQUE (project_id, name),
    CONSTRAINT environment_ttl_only_for_sandboxes CHECK ((type = 'sandbox') = (ttl_minutes IS NOT NULL))
);

CREATE INDEX environment_expiry_idx ON environment (expires_at) WHERE type = 'sandbox' AND status <> 'expired';

-- One-off facts about this installation (e.g. that the demo data was seeded once).
CREATE TABLE platform_marker (
    name       VARCHAR(100) PRIMARY KEY,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
