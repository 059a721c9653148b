package io.cloudops.orchestrator.sandbox;

import io.cloudops.common.sandbox.SandboxCreatePayload;
import io.cloudops.orchestrator.handler.StepContext;

/** Where sandboxes live: a simulated cluster, or a namespace per sandbox on a real one. */
public interface SandboxAdapter {

    /** Creates the sandbox's resources; running it again must be harmless (retries). */
    void provision(StepContext context, SandboxCreatePayload sandbox) throws Exception;

    /** Removes everything the sandbox had; an already removed sandbox is fine. */
    void teardown(StepContext context, String namespace) throws Exception;
}
