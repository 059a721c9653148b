-- Schedules (control-api: io.cloudops.api.schedule; docs/change-safety.md, "Schedules"): cron schedules of
-- operations. Every instance polls; a due schedule is claimed with FOR UPDATE SKIP LOCKED, and each due
-- time is recorded once (UNIQUE (schedule_id, due_at)), so a due time fires at most once across instances.
CREATE TABLE schedule (
    id              UUID          PRIMARY KEY,
    name            VARCHAR(63)   NOT NULL UNIQUE,
    -- the task type the schedule submits (db_backup, deployment, ...)
    operation       VARCHAR(63)   NOT NULL,
    -- the operation's request: its endpoint's path parameters by name plus its body's fields
    request         JSONB         NOT NULL,
    -- a 5-field (Unix) cron expression, read in time_zone
    cron            VARCHAR(200)  NOT NULL,
    time_zone       VARCHAR(64)   NOT NULL,
    overlap_policy  VARCHAR(20)   NOT NULL CHECK (overlap_policy IN ('skip', 'buffer-one', 'buffer-all', 'cancel-other')),
    enabled         BOOLEAN       NOT NULL,
    created_by      VARCHAR(255)  NOT NULL,
    created_at      TIMESTAMPTZ   NOT NULL,
    updated_at      TIMESTAMPTZ   NOT NULL,
    -- the next due time; NULL while disabled (a disabled spell records nothing, missed or not)
    next_run_at     TIMESTAMPTZ,
    -- the latest due time that was recorded, and how it went
    last_run_at     TIMESTAMPTZ,
    last_outcome    VARCHAR(10)
);

CREATE INDEX schedule_due_idx ON schedule (next_run_at) WHERE enabled;

-- What each due time did: fired (task_id), skipped (overlap policy), missed (older than the catch-up
-- window when it was seen), failed (refused: guard rail, validation, rate limit; detail says why).
CREATE TABLE schedule_run (
    id           BIGSERIAL      PRIMARY KEY,
    schedule_id  UUID           NOT NULL REFERENCES schedule (id) ON DELETE CASCADE,
    due_at       TIMESTAMPTZ    NOT NULL,
    outcome      VARCHAR(10)    NOT NULL CHECK (outcome IN ('fired', 'skipped', 'missed', 'failed')),
    task_id      UUID,
    detail       VARCHAR(2000),
    recorded_at  TIMESTAMPTZ    NOT NULL,
    UNIQUE (schedule_id, due_at)
);
