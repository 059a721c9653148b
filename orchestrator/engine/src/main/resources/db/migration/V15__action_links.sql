-- Signed action links of notifications (Retry, Approve, Reject, Extend TTL 1h): io.cloudops.orchestrator.client.ActionLinks.
-- The HMAC key when ACTION_LINK_KEY is not configured: made once by whichever instance signs first, shared by all.
CREATE TABLE action_link_key (
    id         SMALLINT    PRIMARY KEY CHECK (id = 1),
    secret     BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- A link is single-use: its nonce is recorded when it is used. Rows past expires_at no longer matter (an
-- expired link is refused by its signature's expiry) and are purged.
CREATE TABLE action_link_use (
    nonce      UUID         PRIMARY KEY,
    action     VARCHAR(16)  NOT NULL,
    subject_id UUID         NOT NULL,
    used_by    VARCHAR(200) NOT NULL,
    used_at    TIMESTAMPTZ  NOT NULL,
    expires_at TIMESTAMPTZ  NOT NULL
);
CREATE INDEX action_link_use_expires_idx ON action_link_use (expires_at);

-- Tasks awaiting approval are announced (with Approve / Reject links), and so are their rejections.
ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_event_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_event_check
    CHECK (event IN ('succeeded', 'failed', 'dead_lettered', 'dead_letter_resolved', 'test', 'sandbox.expiring',
                     'sandbox.expired', 'digest', 'awaiting_approval', 'rejected'));
