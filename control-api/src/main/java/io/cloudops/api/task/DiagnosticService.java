package io.cloudops.api.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;

import io.cloudops.common.task.DiagnosticRequest;
import io.cloudops.common.task.TaskAccepted;
import io.cloudops.common.task.TaskType;

/**
 * The diagnostic task (sleeps and logs, for checking the engine and for benchmarks), for the API
 * and the console's "Run diagnostic" quick action. Defaults are filled in before the request is
 * fingerprinted, so a request that leaves them out and one that spells them out are the same.
 */
@ApplicationScoped
public class DiagnosticService {

    private final TaskAcceptance acceptance;

    DiagnosticService(TaskAcceptance acceptance) {
        this.acceptance = acceptance;
    }

    /**
     * Validates and prepares the task without blocking (the API does this on the I/O thread and
     * submits on a worker). {@code path} is the API path the request stands for (the
     * Idempotency-Key fingerprint's scope, see {@link TaskAcceptance}).
     */
    public TaskAcceptance.Prepared prepare(@Valid DiagnosticRequest request, String idempotencyKey, String path) {
        DiagnosticRequest normalized = new DiagnosticRequest(request.entityId(), request.stepsOrDefault(),
                request.stepMillisOrDefault(), request.failOrDefault());
        return acceptance.prepare(TaskType.DIAGNOSTIC.type(), normalized.entityId(), normalized, normalized,
                idempotencyKey, path);
    }

    /** {@link #prepare} and submit, blocking. */
    public TaskAcceptance.Accepted<TaskAccepted> submit(@Valid DiagnosticRequest request, String idempotencyKey,
            String path) {
        return acceptance.submit(prepare(request, idempotencyKey, path));
    }
}
