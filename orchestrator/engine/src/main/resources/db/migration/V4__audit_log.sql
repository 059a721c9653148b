-- The audit log (PRODUCT.md section 7): who did what to which target, from where, with what outcome.
-- A change's entry is written in the transaction of the change (the engine's for tasks, the JPA one for
-- projects), so a change that rolls back leaves no entry and a committed change always has one. Denied
-- and rejected attempts are written on their own (they changed nothing). Rows are only ever inserted.
CREATE TABLE audit_log (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             TIMESTAMPTZ   NOT NULL,
    actor          VARCHAR(200)  NOT NULL,
    roles          TEXT[]        NOT NULL DEFAULT '{}',
    action         VARCHAR(64)   NOT NULL,
    target_type    VARCHAR(32),
    target_id      VARCHAR(255),
    request_id     VARCHAR(128),
    source_address VARCHAR(64),
    outcome        VARCHAR(16)   NOT NULL CHECK (outcome IN ('succeeded', 'denied', 'rejected')),
    detail         JSONB         NOT NULL DEFAULT '{}'
);

-- The listing (newest first, id breaks ties) and its filters.
CREATE INDEX audit_log_listing_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, at DESC);
CREATE INDEX audit_log_request_idx ON audit_log (request_id);
