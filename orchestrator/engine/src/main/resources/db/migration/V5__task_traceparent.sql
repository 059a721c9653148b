-- The W3C trace context (traceparent) of the request that accepted a task, so that its run continues that
-- request's trace in whichever service and process runs it (io.cloudops.orchestrator.telemetry.TaskTracing).
-- NULL for tasks accepted outside any trace and for tasks written before this column existed.
ALTER TABLE task ADD COLUMN traceparent VARCHAR(128);
