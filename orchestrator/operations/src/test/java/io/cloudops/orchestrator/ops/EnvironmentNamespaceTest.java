package io.cloudops.orchestrator.ops;

import org.junit.jupiter.api.Test;

import io.cloudops.common.project.EnvironmentNamespace;

import static org.assertj.core.api.Assertions.assertThat;

/** Namespace names stay valid, stable and unique DNS labels, also for long project and sandbox names. */
class EnvironmentNamespaceTest {

    @Test
    void isProjectDashEnvironmentWhenItFits() {
        assertThat(EnvironmentNamespace.of("payments", "dev")).isEqualTo("payments-dev");
        String fits = EnvironmentNamespace.of("p".repeat(31), "e".repeat(31));
        assertThat(fits).hasSize(63).isEqualTo("p".repeat(31) + "-" + "e".repeat(31));
    }

    @Test
    void longNamesAreCutAndHashedIntoAStableUniqueDnsLabel() {
        String a = EnvironmentNamespace.of("p".repeat(40), "sandbox-" + "a".repeat(30));
        String b = EnvironmentNamespace.of("p".repeat(40), "sandbox-" + "b".repeat(30));
        assertThat(a).hasSize(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").isNotEqualTo(b);
        assertThat(EnvironmentNamespace.of("p".repeat(40), "sandbox-" + "a".repeat(30))).isEqualTo(a);
        assertThat(EnvironmentNamespace.of("p".repeat(53) + "-x", "y".repeat(20))).doesNotContain("--");
    }
}
