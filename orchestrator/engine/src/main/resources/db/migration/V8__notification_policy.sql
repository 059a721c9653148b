-- Notification policy (issue #10): which events go to which route per project, a token bucket per route with
-- digests for the overflow, and sandbox-expiry notices that are written once however many instances look.

-- Per project: {"<route kind>": ["task.failed", ...], ...}. NULL, or a route kind missing from the object, means
-- that route's default selection (RouteKind.defaultEvents: everything, successes to Teams only).
ALTER TABLE project ADD COLUMN notify_events JSONB;

ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_event_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_event_check
    CHECK (event IN ('succeeded', 'failed', 'dead_lettered', 'dead_letter_resolved', 'test', 'sandbox.expiring',
                    'sandbox.expired', 'digest'));
-- 'digested': held back by its route's token bucket and told in the digest row digest_id instead
ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_status_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'digested'));
ALTER TABLE notification_outbox
    ADD COLUMN environment_id UUID,          -- the sandbox of a sandbox.* notice
    ADD COLUMN dedup_key      VARCHAR(200),  -- a notice written once per key and route (several instances race)
    ADD COLUMN digest_id      UUID;          -- for a 'digested' row: the digest that tells it

CREATE UNIQUE INDEX notification_outbox_dedup_idx ON notification_outbox (dedup_key, route_kind)
    WHERE dedup_key IS NOT NULL;
-- at most one open (not yet sent) digest per route: the overflow of a window joins it
CREATE UNIQUE INDEX notification_outbox_open_digest_idx ON notification_outbox (route_kind, md5(target))
    WHERE event = 'digest' AND status = 'pending';
CREATE INDEX notification_outbox_digest_idx ON notification_outbox (digest_id) WHERE digest_id IS NOT NULL;

-- The token bucket of each route (kind and target; the target by hash, since a webhook URL is a secret), shared by
-- every dispatcher: a claim locks the route's row, refills it for the time passed and takes a token, in the
-- claim's transaction.
CREATE TABLE notification_route_bucket (
    route_kind  VARCHAR(16)      NOT NULL,
    route_hash  VARCHAR(64)      NOT NULL,
    tokens      DOUBLE PRECISION NOT NULL,
    refilled_at TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (route_kind, route_hash)
);
