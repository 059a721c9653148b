-- The task engine (orchestrator). The database is the source of truth for every task: the channel
-- only carries wake-ups, so nothing accepted can be lost by a broker or a crash.

-- Position in an entity's queue. A task retried from the dead-letter queue gets a new one (tail).
CREATE SEQUENCE task_queue_position;

CREATE TABLE task (
    id               UUID PRIMARY KEY,
    type             VARCHAR(64)   NOT NULL,
    status           VARCHAR(16)   NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'dead_lettered')),
    entity_id        VARCHAR(255)  NOT NULL,
    queue_position   BIGINT        NOT NULL,
    correlation_id   VARCHAR(100),
    idempotency_key  VARCHAR(200)  UNIQUE,
    requested_by     VARCHAR(200),
    payload          JSONB         NOT NULL,
    attempt          INTEGER       NOT NULL DEFAULT 0,
    max_attempts     INTEGER       NOT NULL,
    created_at       TIMESTAMPTZ   NOT NULL,
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    next_attempt_at  TIMESTAMPTZ,
    cancel_requested BOOLEAN       NOT NULL DEFAULT FALSE,
    -- fencing token of the current run: every write of a run names it, so a run whose lease was
    -- taken over can no longer change the task
    claim_token      UUID,
    error_message    TEXT,
    error_hint       TEXT,
    event_seq        BIGINT        NOT NULL DEFAULT 0,
    log_seq          BIGINT        NOT NULL DEFAULT 0
);

-- The head of each entity's queue, and the sweeper's scans.
CREATE INDEX task_active_by_entity_idx ON task (entity_id, queue_position) WHERE status IN ('queued', 'running');
CREATE INDEX task_due_idx ON task (next_attempt_at) WHERE status = 'queued';
CREATE INDEX task_listing_idx ON task (created_at DESC, id);
CREATE INDEX task_status_idx ON task (status, created_at DESC);
CREATE INDEX task_type_idx ON task (type, created_at DESC);
CREATE INDEX task_entity_idx ON task (entity_id, created_at DESC);

CREATE TABLE task_step (
    task_id     UUID         NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    idx         INTEGER      NOT NULL,
    name        VARCHAR(100) NOT NULL,
    status      VARCHAR(16)  NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
    percent     INTEGER      NOT NULL DEFAULT 0,
    message     VARCHAR(2000),
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    PRIMARY KEY (task_id, idx)
);

-- Bounded per task: the engine keeps the last N lines (cloudops.engine.max-log-lines-per-task).
CREATE TABLE task_log (
    task_id UUID          NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    line    BIGINT        NOT NULL,
    ts      TIMESTAMPTZ   NOT NULL,
    step    VARCHAR(100),
    message VARCHAR(4000) NOT NULL,
    PRIMARY KEY (task_id, line)
);

-- Ordered per task by seq: the live stream replays from here after a reconnect.
CREATE TABLE task_event (
    task_id UUID          NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    seq     BIGINT        NOT NULL,
    ts      TIMESTAMPTZ   NOT NULL,
    kind    VARCHAR(8)    NOT NULL,
    step    VARCHAR(100),
    status  VARCHAR(16),
    message VARCHAR(4000),
    percent INTEGER,
    PRIMARY KEY (task_id, seq)
);

CREATE TABLE task_artifact (
    id         UUID PRIMARY KEY,
    task_id    UUID          NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    kind       VARCHAR(16)   NOT NULL CHECK (kind IN ('plan', 'backup', 'log')),
    uri        VARCHAR(2000) NOT NULL,
    size_bytes BIGINT        NOT NULL,
    sha256     CHAR(64)      NOT NULL,
    metadata   JSONB         NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ   NOT NULL
);
CREATE INDEX task_artifact_task_idx ON task_artifact (task_id);

CREATE TABLE dead_letter (
    id               UUID PRIMARY KEY,
    task_id          UUID         NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    original_message JSONB        NOT NULL,
    last_error       TEXT,
    attempts         INTEGER      NOT NULL,
    dead_lettered_at TIMESTAMPTZ  NOT NULL,
    resolution       VARCHAR(16) CHECK (resolution IN ('retried', 'skipped')),
    resolved_at      TIMESTAMPTZ,
    resolved_by      VARCHAR(200)
);
CREATE INDEX dead_letter_open_idx ON dead_letter (dead_lettered_at DESC) WHERE resolution IS NULL;

-- Same key + same request: the same task. Kept at least 24 hours (cloudops.engine.idempotency-retention).
CREATE TABLE idempotency_key (
    key          VARCHAR(200) PRIMARY KEY,
    request_hash CHAR(64)     NOT NULL,
    task_id      UUID         NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL
);
CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);

-- The per-entity guard: at most one orchestrator (instance) runs an entity's tasks at a time,
-- whatever the broker delivers. Renewed while held; an expired lease can be taken over.
CREATE TABLE entity_lease (
    entity_id  VARCHAR(255) PRIMARY KEY,
    owner      VARCHAR(100) NOT NULL,
    expires_at TIMESTAMPTZ  NOT NULL
);
