-- Notifications (PRODUCT.md section 6, issue #10): an outbox row per route and event, written in the same
-- transaction as the change that should notify (a task's terminal status, or a test request), so that a
-- crash between commit and send loses nothing. A dispatcher claims due rows (FOR UPDATE SKIP LOCKED), marks
-- them 'sending' under a claim token with next_attempt_at as its lease, sends, and records each attempt.
-- A row whose dispatcher died while sending is due again when that lease passes.
CREATE TABLE notification_outbox (
    id              UUID PRIMARY KEY,                -- also the notification's idempotency key
    task_id         UUID,                            -- NULL for a test notification
    project_id      UUID,
    event           VARCHAR(32)   NOT NULL CHECK (event IN ('succeeded', 'failed', 'dead_lettered', 'test')),
    route_kind      VARCHAR(16)   NOT NULL CHECK (route_kind IN ('teams', 'email')),
    -- the route as resolved when the row was written: a webhook URL (a secret: never logged or shown unmasked)
    -- or comma-separated email recipients
    target          TEXT          NOT NULL,
    status          VARCHAR(16)   NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER       NOT NULL DEFAULT 0,
    max_attempts    INTEGER       NOT NULL,
    next_attempt_at TIMESTAMPTZ,
    claim_token     UUID,
    requested_by    VARCHAR(200),
    created_at      TIMESTAMPTZ   NOT NULL,
    sent_at         TIMESTAMPTZ,
    last_error      VARCHAR(2000)
);

-- The dispatcher's scan: due rows only (sent and failed rows leave the index).
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX notification_outbox_task_idx ON notification_outbox (task_id) WHERE task_id IS NOT NULL;

-- Every attempt to send a notification and how it went.
CREATE TABLE notification_attempt (
    outbox_id   UUID          NOT NULL REFERENCES notification_outbox (id) ON DELETE CASCADE,
    attempt     INTEGER       NOT NULL,
    at          TIMESTAMPTZ   NOT NULL,
    outcome     VARCHAR(16)   NOT NULL CHECK (outcome IN ('sent', 'simulated', 'failed')),
    http_status INTEGER,
    error       VARCHAR(2000),
    duration_ms BIGINT        NOT NULL,
    PRIMARY KEY (outbox_id, attempt)
);
