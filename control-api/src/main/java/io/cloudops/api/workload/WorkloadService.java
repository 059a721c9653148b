package io.cloudops.api.workload;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.cloudops.api.task.OperationParameters;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.task.TaskAccepted;
import io.cloudops.common.task.TaskType;
import io.cloudops.common.workload.RestartWorkloadPayload;
import io.cloudops.common.workload.RestartWorkloadRequest;

/**
 * Rolling restarts of Kubernetes workloads as tasks, one session per workload
 * ({@code <ns>/<name>}). The API and the console's restart quick action both call
 * {@link #restart}; its constraints are the endpoint's, so both name the same fields.
 */
@ApplicationScoped
public class WorkloadService {

    /** A namespace: a DNS label. */
    static final String NAMESPACE = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String NAMESPACE_MESSAGE = "must be a Kubernetes namespace name (lower-case letters, digits and '-')";
    /** A Deployment name: a DNS subdomain. */
    static final String NAME = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    static final String NAME_MESSAGE = "must be a Kubernetes object name (lower-case letters, digits, '-' and '.')";

    private final TaskAcceptance acceptance;

    WorkloadService(TaskAcceptance acceptance) {
        this.acceptance = acceptance;
    }

    /**
     * Accepts the restart of Deployment {@code name} in {@code ns}; {@code request} may be null (no
     * body). {@code path} is the API path the request stands for (the Idempotency-Key fingerprint's
     * scope, see {@link TaskAcceptance}).
     */
    public TaskAcceptance.Accepted<TaskAccepted> restart(
            @Size(max = 63) @Pattern(regexp = NAMESPACE, message = NAMESPACE_MESSAGE) String ns,
            @Size(max = 253) @Pattern(regexp = NAME, message = NAME_MESSAGE) String name,
            @Valid RestartWorkloadRequest request, String idempotencyKey, String path) {
        RestartWorkloadRequest body = request == null ? new RestartWorkloadRequest(null, null) : request;
        OperationParameters.requireOnlySimulate(body.params());
        RestartWorkloadPayload payload = new RestartWorkloadPayload(ns, name, RestartWorkloadPayload.KIND_DEPLOYMENT,
                body.params() == null ? Map.of() : body.params());
        return acceptance.accept(TaskType.RESTART_WORKLOAD.type(), TaskType.workloadEntityId(ns, name), body, payload,
                idempotencyKey, path, accepted -> new TaskAccepted(accepted.taskId()));
    }
}
