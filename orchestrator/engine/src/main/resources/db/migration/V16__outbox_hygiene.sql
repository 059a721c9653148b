-- Outbox hygiene (issue #10). A PagerDuty resolve waits until every trigger of its task to that routing key has
-- been sent or has failed for good; when none was sent, PagerDuty has no incident to resolve and the resolve ends
-- 'skipped' (last_error says why) without a post.
ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_status_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'digested', 'skipped'));

-- Finished rows older than cloudops.notify.retention are purged in batches (OutboxPurge): its scan.
CREATE INDEX notification_outbox_finished_idx ON notification_outbox (created_at)
    WHERE status IN ('sent', 'failed', 'digested', 'skipped');
