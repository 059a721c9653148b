package io.cloudops.api.sandbox;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cloudops.api.problem.ApiException;
import io.cloudops.api.project.Project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The policy without Quarkus: the global settings it refuses to start with, and how a project's own
 * settings and the global ones combine (the HTTP behaviour is {@code SandboxResourceTest}'s).
 */
class SandboxTtlPolicyTest {

    @ParameterizedTest
    @CsvSource({"0s,7d", "90s,7d", "8h,31d", "8d,7d", "-1m,7d"})
    void globalSettingsThatCannotHoldStopTheStart(String defaultTtl, String maxTtl) {
        assertThatThrownBy(() -> policy(defaultTtl, maxTtl)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SANDBOX_");
    }

    @Test
    void theEffectiveDefaultNeverExceedsTheEffectiveMaximum() {
        SandboxTtlPolicy policy = policy("8h", "7d");
        assertThat(policy.effective(project(null, null))).extracting("defaultTtlMinutes", "maxTtlMinutes")
                .containsExactly(480, 10_080);
        assertThat(policy.effective(project(null, 60))).extracting("defaultTtlMinutes", "maxTtlMinutes")
                .containsExactly(60, 60);
        // a stored default above a global maximum lowered since: clamped, not refused
        assertThat(policy("1h", "2h").effective(project(600, null)).defaultTtlMinutes()).isEqualTo(120);
    }

    @Test
    void anAdminPastTheMaximumIsAnExemptionAnOperatorIsRefused() {
        SandboxTtlPolicy policy = policy("8h", "7d");
        Project project = project(30, 120);
        assertThat(policy.forCreate(project, null, false)).isEqualTo(new SandboxTtlPolicy.Decision(30, 120, false));
        assertThat(policy.forCreate(project, 120, false).exemption()).isFalse();
        assertThat(policy.forCreate(project, 121, true)).isEqualTo(new SandboxTtlPolicy.Decision(121, 120, true));
        assertThatThrownBy(() -> policy.forCreate(project, 121, false)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(422));
    }

    @Test
    void minutesReadAsPeopleSayThem() {
        assertThat(SandboxTtlPolicy.human(10_080)).isEqualTo("7 d");
        assertThat(SandboxTtlPolicy.human(90)).isEqualTo("1 h 30 min");
        assertThat(SandboxTtlPolicy.human(1_500)).isEqualTo("1 d 1 h");
    }

    private static SandboxTtlPolicy policy(String defaultTtl, String maxTtl) {
        return new SandboxTtlPolicy(new SandboxTtlConfig() {
            @Override
            public Duration defaultTtl() {
                return parse(defaultTtl);
            }

            @Override
            public Duration maxTtl() {
                return parse(maxTtl);
            }
        });
    }

    /** The short forms Quarkus reads ({@code 90s}, {@code 8h}, {@code 7d}). */
    private static Duration parse(String text) {
        return text.endsWith("d") ? Duration.parse("P" + text) : Duration.parse("PT" + text);
    }

    private static Project project(Integer defaultMinutes, Integer maxMinutes) {
        Project project = new Project();
        project.name = "p";
        project.sandboxDefaultTtlMinutes = defaultMinutes;
        project.sandboxMaxTtlMinutes = maxMinutes;
        return project;
    }
}
