package io.cloudops.api.guardrail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A policy file that cannot be used refuses the start, saying which policy and where. */
class PolicyFileTest {

    @TempDir
    Path dir;

    @Test
    void aTypeErrorRefusesToStartNamingThePolicyLineAndColumn() throws Exception {
        Path file = dir.resolve("policies.yaml");
        Files.writeString(file, """
                policies:
                  - name: fine
                    appliesTo: [deployment]
                    expression: "true"
                    message: always allowed
                  - name: typo-in-a-name
                    appliesTo: [deployment]
                    expression: |-
                      environment.type != 'prod'
                        || reqest.params.replicas <= 3
                    message: small prod deployments
                """);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(
                java.util.Map.of(GuardRailGuard.FILE, file.toString()), "test", 500)).build();

        assertThat(GuardRailGuard.problem(config)).hasValueSatisfying(message -> assertThat(message)
                .startsWith("Refusing to start: POLICY_FILE " + file + ": policy typo-in-a-name (line 6)")
                .contains("expression line 2, column 6: undeclared reference to 'reqest'"));
    }

    @Test
    void aSyntaxErrorNamesItsLineAndColumn() {
        assertThatThrownBy(() -> PolicyFile.parse("""
                {"policies": [{"name": "broken", "appliesTo": ["*"], "message": "m",
                               "expression": "request.operation == "}]}
                """, "policies.json", ZoneOffset.UTC)).isInstanceOf(PolicyFile.Invalid.class)
                .hasMessageContaining("policies.json: policy broken (line 1): expression line 1, column 22:");
    }

    @Test
    void anExpressionThatIsNotABooleanIsRefused() {
        assertThatThrownBy(() -> PolicyFile.parse("""
                policies:
                  - name: not-a-bool
                    appliesTo: [deployment]
                    expression: "request.params.size() + 1"
                    message: m
                """, "p.yaml", ZoneOffset.UTC)).hasMessageContaining("policy not-a-bool (line 2): expression line 1, "
                + "column 23")
                .hasMessageContaining("expected type 'bool'");
    }

    @Test
    void unknownKeysOperationsStatusesAndRolesAreRefused() {
        assertThatThrownBy(() -> PolicyFile.parse("""
                policies:
                  - name: a
                    appliesTo: [deploy]
                    expression: "true"
                    message: m
                """, "p.yaml", ZoneOffset.UTC))
                .hasMessageContaining("p.yaml line 2, policy a: appliesTo names \"deploy\"");
        assertThatThrownBy(() -> PolicyFile.parse("""
                policies:
                  - name: a
                    appliesTo: [deployment]
                    expresion: "true"
                    message: m
                """, "p.yaml", ZoneOffset.UTC)).hasMessageContaining("unknown key expresion");
        assertThatThrownBy(() -> PolicyFile.parse("""
                policies:
                  - name: a
                    appliesTo: [deployment]
                    expression: "true"
                    message: m
                    status: 409
                """, "p.yaml", ZoneOffset.UTC)).hasMessageContaining("status must be 403 or 422");
        assertThatThrownBy(() -> PolicyFile.parse("""
                policies:
                  - name: a
                    appliesTo: [deployment]
                    expression: "true"
                    message: m
                    overridableBy: root
                """, "p.yaml", ZoneOffset.UTC))
                .hasMessageContaining("overridableBy must be one of viewer, operator, admin");
    }

    @Test
    void aMissingFileOrAWrongTimeZoneIsRefused() {
        assertThatThrownBy(() -> PolicyFile.load(Optional.of(dir.resolve("nope.yaml").toString()), "UTC"))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> PolicyFile.load(Optional.empty(), "Mars/Olympus"))
                .hasMessageContaining("POLICY_TIME_ZONE Mars/Olympus is not a time zone");
    }
}
