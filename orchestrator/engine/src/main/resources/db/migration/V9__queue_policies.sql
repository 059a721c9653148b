-- Change safety (docs/change-safety.md): busy policies, queue pauses and the maximum age of queued tasks.

-- Two new terminal statuses: a queued task replaced by a newer request of the same type on its entity
-- (busy policy replace-pending), and a queued task older than QUEUE_MAX_AGE that never started.
ALTER TABLE task DROP CONSTRAINT task_status_check;
ALTER TABLE task ADD CONSTRAINT task_status_check
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'dead_lettered', 'superseded', 'expired'));

-- The task that replaced a superseded one. No foreign key, like the child rows of V3: only the
-- submit transaction that inserts the replacement writes it.
ALTER TABLE task ADD COLUMN superseded_by UUID;

-- Paused queues, durable so that every instance honours them and a restart keeps them. One row per
-- paused entity; the row with entity_id '*' pauses every entity (maintenance mode).
CREATE TABLE queue_pause (
    entity_id VARCHAR(255) PRIMARY KEY,
    paused_by VARCHAR(200),
    paused_at TIMESTAMPTZ  NOT NULL
);

-- The expiry sweep's scan: never-started queued tasks by age.
CREATE INDEX task_queued_age_idx ON task (created_at) WHERE status = 'queued' AND started_at IS NULL;
