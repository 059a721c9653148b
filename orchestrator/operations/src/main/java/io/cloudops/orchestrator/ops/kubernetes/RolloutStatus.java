package io.cloudops.orchestrator.ops.kubernetes;

import java.util.Objects;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/**
 * Where a Deployment's rollout stands, read the way {@code kubectl rollout status} reads it: the
 * controller must have observed the current generation, every desired replica must run the new pod
 * template, old replicas must be gone and the new ones available. A rollout past its progress
 * deadline has failed.
 */
public record RolloutStatus(State state, String message) {

    public enum State {
        IN_PROGRESS, COMPLETE, FAILED
    }

    public static RolloutStatus of(Deployment deployment) {
        String name = "deployment/" + deployment.getMetadata().getName();
        DeploymentStatus status = deployment.getStatus();
        Long generation = deployment.getMetadata().getGeneration();
        if (status == null || status.getObservedGeneration() == null
                || (generation != null && status.getObservedGeneration() < generation)) {
            return new RolloutStatus(State.IN_PROGRESS, name + ": waiting for the controller to see the new spec");
        }
        if (status.getConditions() != null) {
            for (DeploymentCondition condition : status.getConditions()) {
                if ("Progressing".equals(condition.getType())
                        && "ProgressDeadlineExceeded".equals(condition.getReason())) {
                    return new RolloutStatus(State.FAILED, name + " exceeded its progress deadline");
                }
            }
        }
        int desired = deployment.getSpec() == null || deployment.getSpec().getReplicas() == null
                ? 1
                : deployment.getSpec().getReplicas();
        int updated = zeroIfNull(status.getUpdatedReplicas());
        int total = zeroIfNull(status.getReplicas());
        int available = zeroIfNull(status.getAvailableReplicas());
        if (updated < desired) {
            return new RolloutStatus(State.IN_PROGRESS,
                    name + ": " + updated + " of " + desired + " replicas run the new template");
        }
        if (total > updated) {
            return new RolloutStatus(State.IN_PROGRESS,
                    name + ": " + (total - updated) + " old replicas are pending termination");
        }
        if (available < updated) {
            return new RolloutStatus(State.IN_PROGRESS,
                    name + ": " + available + " of " + updated + " updated replicas are available");
        }
        return new RolloutStatus(State.COMPLETE, name + " successfully rolled out (" + available + "/" + desired
                + " available)");
    }

    public boolean complete() {
        return state == State.COMPLETE;
    }

    public boolean failed() {
        return state == State.FAILED;
    }

    private static int zeroIfNull(Integer value) {
        return Objects.requireNonNullElse(value, 0);
    }
}
