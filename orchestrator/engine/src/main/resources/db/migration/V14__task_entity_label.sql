-- The readable name of a task's entity (docs/ui.md, "Readable names"): "demo/dev" for an environment,
-- "azure-postgres/orders" for a database. Written once, when the task is accepted (EntityLabels), and
-- only shown: entity_id stays the session key and what filters match. NULL: a task accepted before this
-- column existed, or one whose entity has no name but its id (a diagnostic); the console shows the id.
-- Not backfilled: listings read the column as it is, and a rewrite of every task row is not worth it.
ALTER TABLE task ADD COLUMN entity_label VARCHAR(255);
