-- Slack and PagerDuty routes (issue #10): a project's own Slack incoming webhook and PagerDuty routing key (both
-- secrets: shown masked, never logged), two more route kinds in the outbox, and PagerDuty's resolve of a dead
-- letter's incident ('dead_letter_resolved': the dead letter was retried successfully or skipped).
ALTER TABLE project
    ADD COLUMN slack_webhook_url      VARCHAR(2048),
    ADD COLUMN pager_duty_routing_key VARCHAR(128);

ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_route_kind_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_route_kind_check
    CHECK (route_kind IN ('teams', 'email', 'slack', 'pagerduty'));
ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_event_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_event_check
    CHECK (event IN ('succeeded', 'failed', 'dead_lettered', 'dead_letter_resolved', 'test'));

