package io.cloudops.orchestrator.workload;

import io.cloudops.common.workload.RestartWorkloadPayload;
import io.cloudops.orchestrator.handler.StepContext;

/** Where workloads run: a simulated cluster or a real one. One method per step of a restart. */
public interface WorkloadAdapter {

    /** Reaches the cluster and finds the workload; a missing workload is a permanent failure. */
    void connect(StepContext context, RestartWorkloadPayload workload) throws Exception;

    /** Triggers the rolling restart, once per task whatever the retries. */
    void restart(StepContext context, RestartWorkloadPayload workload) throws Exception;

    /** Waits until the restarted workload is ready again. */
    void awaitReady(StepContext context, RestartWorkloadPayload workload) throws Exception;
}
