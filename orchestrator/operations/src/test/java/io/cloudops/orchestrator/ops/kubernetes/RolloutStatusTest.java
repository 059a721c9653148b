package io.cloudops.orchestrator.ops.kubernetes;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/** The rollout reading that ends (or fails) the wait of deployments and restarts, as kubectl reads it. */
class RolloutStatusTest {

    @Test
    void waitsUntilTheControllerObservedTheNewGeneration() {
        RolloutStatus status = RolloutStatus
                .of(deployment(3, 2, new DeploymentStatusBuilder().withObservedGeneration(1L)
                        .withReplicas(3).withUpdatedReplicas(3).withAvailableReplicas(3).build()));
        assertThat(status.state()).isEqualTo(RolloutStatus.State.IN_PROGRESS);
        assertThat(status.message()).contains("waiting for the controller");
        assertThat(RolloutStatus.of(deployment(3, 2, null)).complete()).isFalse();
    }

    @Test
    void followsUpdatedThenOldThenAvailableReplicas() {
        assertThat(RolloutStatus.of(deployment(3, 1, status(4, 2, 2))).message())
                .endsWith("2 of 3 replicas run the new template");
        assertThat(RolloutStatus.of(deployment(3, 1, status(4, 3, 3))).message())
                .endsWith("1 old replicas are pending termination");
        assertThat(RolloutStatus.of(deployment(3, 1, status(3, 3, 2))).message())
                .endsWith("2 of 3 updated replicas are available");
        RolloutStatus done = RolloutStatus.of(deployment(3, 1, status(3, 3, 3)));
        assertThat(done.complete()).isTrue();
        assertThat(done.message()).isEqualTo("deployment/web successfully rolled out (3/3 available)");
    }

    @Test
    void aRolloutPastItsProgressDeadlineHasFailed() {
        RolloutStatus status = RolloutStatus.of(deployment(2, 1, new DeploymentStatusBuilder(status(2, 1, 0))
                .withConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                        .withReason("ProgressDeadlineExceeded").build())
                .build()));
        assertThat(status.failed()).isTrue();
    }

    private static io.fabric8.kubernetes.api.model.apps.DeploymentStatus status(int total, int updated,
            int available) {
        return new DeploymentStatusBuilder().withObservedGeneration(1L).withReplicas(total)
                .withUpdatedReplicas(updated).withAvailableReplicas(available).build();
    }

    private static Deployment deployment(int replicas, long generation,
            io.fabric8.kubernetes.api.model.apps.DeploymentStatus status) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().withStatus(status).build();
    }
}
