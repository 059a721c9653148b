-- Issue #12: a deployment preview ("dryRun": true) stores the unified diff of its plan against the
-- environment's last applied plan as a task artifact of kind 'diff' (docs/change-safety.md).
ALTER TABLE task_artifact DROP CONSTRAINT task_artifact_kind_check;
ALTER TABLE task_artifact ADD CONSTRAINT task_artifact_kind_check CHECK (kind IN ('plan', 'backup', 'log', 'diff'));
