-- The engine's hot write path. Every task writes about twenty child rows (its steps, log lines and
-- some fifteen events); a foreign key makes each of them run a referential check against `task`
-- (an index lookup and a row lock), which measured as half the cost of inserting them. These rows
-- are written only by the engine, in the same transaction as the task row (accept) or under the
-- task's claim token (a run), so they cannot point to a task that does not exist; the checks buy
-- nothing there. Nothing deletes tasks today; whatever purges them later deletes these rows with
-- them (same task_id).
ALTER TABLE task_step DROP CONSTRAINT task_step_task_id_fkey;
ALTER TABLE task_log DROP CONSTRAINT task_log_task_id_fkey;
ALTER TABLE task_event DROP CONSTRAINT task_event_task_id_fkey;
