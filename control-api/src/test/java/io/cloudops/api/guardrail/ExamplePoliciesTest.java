package io.cloudops.api.guardrail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped examples (docs/examples/guard-rails.yaml, the very file the docs point at) and the
 * shipped defaults, evaluated on fixed inputs: the freeze window at its boundaries in a time zone
 * that is not UTC, the replica maximum, and the backup required before a restore into prod.
 */
class ExamplePoliciesTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static PolicySet examples() throws Exception {
        return PolicyFile.parse(Files.readString(Path.of("../docs/examples/guard-rails.yaml")), "examples", BERLIN);
    }

    static Instant berlin(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
    }

    static Map<String, Object> environment(String type) {
        return Map.of("id", "e", "project", "shop", "name", type, "type", type);
    }

    static Map<String, Object> noDatabase() {
        return Map.of("engine", "", "instanceId", "", "hasBackup", false, "lastBackupAgeHours",
                Double.POSITIVE_INFINITY);
    }

    static Map<String, Object> request(String operation, Map<String, Object> params) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("operation", operation);
        request.put("entityId", "e");
        request.put("params", params);
        request.put("payload", Map.of("params", params));
        request.put("dryRun", false);
        request.put("reason", "");
        return request;
    }

    static final Map<String, Object> OPERATOR = Map.of("name", "alice", "roles", List.of("operator", "viewer"));

    static Optional<Boolean> verdict(PolicySet set, String policy, String operation, Map<String, Object> params,
            Map<String, Object> environment, Map<String, Object> database, Instant now) {
        return set.evaluate(operation, request(operation, params), OPERATOR, environment, database, now).stream()
                .filter(v -> v.policy().name().equals(policy)).findFirst().map(PolicySet.Verdict::allowed);
    }

    @ParameterizedTest(name = "{0} (Europe/Berlin) in prod: allowed={1}")
    @CsvSource({
            // 2026-12-04 is a Friday
            "2026-12-04T15:59:59, true", "2026-12-04T16:00:00, false", "2026-12-05T12:00:00, false",
            "2026-12-06T23:59:59, false", "2026-12-07T07:59:59, false", "2026-12-07T08:00:00, true",
            "2026-12-02T03:00:00, true",
            // summer time: the window is local, not UTC (16:00 CEST is 14:00 UTC)
            "2026-07-03T15:59:00, true", "2026-07-03T16:00:00, false"})
    void theFreezeWindowRunsFromFriday16ToMonday08InThePolicyTimeZone(String local, boolean allowed)
            throws Exception {
        assertThat(verdict(examples(), "prod-freeze-window", "deployment", Map.of(), environment("prod"),
                noDatabase(), berlin(local))).contains(allowed);
    }

    @Test
    void theFreezeWindowLeavesOtherEnvironmentsAndOperationsAlone() throws Exception {
        Instant saturday = berlin("2026-12-05T12:00:00");
        assertThat(verdict(examples(), "prod-freeze-window", "deployment", Map.of(), environment("dev"),
                noDatabase(), saturday)).contains(true);
        // a backup is no change to prod: the policy does not apply to it
        assertThat(verdict(examples(), "prod-freeze-window", "db_backup", Map.of(), environment("prod"),
                noDatabase(), saturday)).isEmpty();
        Policy freeze = examples().policies().stream().filter(p -> p.name().equals("prod-freeze-window"))
                .findFirst().orElseThrow();
        assertThat(freeze.status()).isEqualTo(403);
        assertThat(freeze.overridableBy()).contains("admin");
    }

    @Test
    void aDeploymentAsksForAtMostTenReplicas() throws Exception {
        Instant now = berlin("2026-12-02T10:00:00");
        for (PolicySet set : List.of(examples(), defaults())) {
            assertThat(verdict(set, "max-replicas", "deployment", Map.of("replicas", 10L), environment("prod"),
                    noDatabase(), now)).contains(true);
            assertThat(verdict(set, "max-replicas", "deployment", Map.of("replicas", 11L), environment("dev"),
                    noDatabase(), now)).contains(false);
            assertThat(verdict(set, "max-replicas", "deployment", Map.of("image", "nginx"), environment("dev"),
                    noDatabase(), now)).as("no replicas asked for").contains(true);
        }
    }

    @Test
    void aRestoreIntoProdNeedsASuccessfulBackupFromTheLast24Hours() throws Exception {
        Instant now = berlin("2026-12-02T10:00:00");
        Map<String, Object> recent = Map.of("engine", "azure-postgres", "instanceId", "orders", "hasBackup", true,
                "lastBackupAgeHours", 23.5);
        Map<String, Object> stale = Map.of("engine", "azure-postgres", "instanceId", "orders", "hasBackup", true,
                "lastBackupAgeHours", 24.5);
        Map<String, Object> none = Map.of("engine", "azure-postgres", "instanceId", "orders", "hasBackup", false,
                "lastBackupAgeHours", Double.POSITIVE_INFINITY);
        for (PolicySet set : List.of(examples(), defaults())) {
            String policy = "prod-restore-needs-recent-backup";
            assertThat(verdict(set, policy, "db_restore", Map.of(), environment("prod"), recent, now)).contains(true);
            assertThat(verdict(set, policy, "db_restore", Map.of(), environment("prod"), stale, now))
                    .contains(false);
            assertThat(verdict(set, policy, "db_restore", Map.of(), environment("prod"), none, now)).contains(false);
            assertThat(verdict(set, policy, "db_restore", Map.of(), environment("dev"), none, now)).contains(true);
        }
    }

    @Test
    void theDefaultsNeverBlockOnAGivenDay() throws Exception {
        assertThat(defaults().policies()).extracting(Policy::name).containsExactly("max-replicas",
                "prod-restore-needs-recent-backup");
        assertThat(defaults().policies()).allSatisfy(p -> assertThat(p.expression()).doesNotContain("now"));
    }

    @Test
    void theKubernetesConfigMapShipsTheDefaults() throws Exception {
        JsonNode configMap = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("../k8s/base/control-api/policies.yaml").toFile());
        PolicySet mounted = PolicyFile.parse(configMap.path("data").path("policies.yaml").asText(), "ConfigMap",
                BERLIN);
        assertThat(mounted.policies()).isEqualTo(defaults().policies().stream()
                .map(p -> new Policy(p.name(), p.description(), p.message(), p.appliesTo(), p.expression(),
                        p.status(), p.field(), p.overridableBy(), mounted.policies().stream()
                                .filter(m -> m.name().equals(p.name())).findFirst().orElseThrow().line()))
                .toList());
    }

    static PolicySet defaults() throws Exception {
        return PolicyFile.load(Optional.empty(), "Europe/Berlin");
    }
}
