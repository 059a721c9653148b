-- Approvals (docs/change-safety.md, "Approvals"): a task that needs approval is accepted as
-- awaiting_approval. It keeps its place at the head of its entity's queue (the claim stops there,
-- without holding a worker) until enough approvers said yes (then queued), one said no, or the
-- deadline passed (both rejected: a timeout never approves).

-- 'awaiting_approval' is 17 characters: widen the status columns (no table rewrite for a wider varchar).
ALTER TABLE task ALTER COLUMN status TYPE VARCHAR(32);
ALTER TABLE task_event ALTER COLUMN status TYPE VARCHAR(32);
ALTER TABLE task DROP CONSTRAINT task_status_check;
ALTER TABLE task ADD CONSTRAINT task_status_check
    CHECK (status IN ('awaiting_approval', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'dead_lettered',
                      'superseded', 'expired', 'rejected'));

-- What a task needs to start, fixed when it was accepted (a later change of APPROVAL_* does not move
-- the goalposts of a waiting task): how many approvals, by which role, and until when.
ALTER TABLE task ADD COLUMN approvals_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE task ADD COLUMN approver_role VARCHAR(32);
ALTER TABLE task ADD COLUMN approval_deadline TIMESTAMPTZ;

-- Every decision; one per approver and task (approving twice is refused, not counted twice).
CREATE TABLE task_approval (
    task_id    UUID          NOT NULL,
    approver   VARCHAR(200)  NOT NULL,
    decision   VARCHAR(16)   NOT NULL CHECK (decision IN ('approved', 'rejected')),
    comment    VARCHAR(1000),
    decided_at TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (task_id, approver)
);

-- The head of each entity's queue now includes tasks awaiting approval (the claim's query names all three).
DROP INDEX task_active_by_entity_idx;
CREATE INDEX task_active_by_entity_idx ON task (entity_id, queue_position)
    WHERE status IN ('awaiting_approval', 'queued', 'running');

-- The timeout sweep's scan.
CREATE INDEX task_approval_deadline_idx ON task (approval_deadline) WHERE status = 'awaiting_approval';
