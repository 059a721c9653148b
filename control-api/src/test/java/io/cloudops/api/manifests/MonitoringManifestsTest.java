package io.cloudops.api.manifests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.cloudops.api.testsupport.Metrics;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.cloudops.api.manifests.KustomizeBuild.find;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard and the Prometheus alert rules of {@code k8s/base/monitoring} query metrics
 * the application really exposes: after tasks that succeed, retry and dead-letter have run, every
 * metric name their expressions use is in {@code /q/metrics}. A renamed or dropped metric fails the
 * build here instead of leaving an empty panel or an alert that can never fire.
 */
@QuarkusTest
class MonitoringManifestsTest {

    private static final Path BASE = Path.of("..", "k8s", "base").toAbsolutePath().normalize();
    private static final Pattern METRIC = Pattern.compile("\\b((?:cloudops|http_server)_[a-z0-9_]+)\\b");

    @Inject
    TaskQueries queries;

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryIsExposedAfterTasksRan() throws Exception {
        List<ObjectNode> base = new KustomizeBuild().build(BASE);
        ObjectNode dashboardMap = find(base, "ConfigMap", "cloudops-grafana-dashboard");
        ObjectNode rulesMap = find(base, "ConfigMap", "cloudops-prometheus-rules");
        assertThat(dashboardMap).as("the dashboard ConfigMap in k8s/base").isNotNull();
        assertThat(rulesMap).as("the rules ConfigMap in k8s/base").isNotNull();
        assertThat(dashboardMap.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");

        JsonNode dashboard = new ObjectMapper().readTree(dashboardMap.path("data").path("cloudops-dashboard.json")
                .asText());
        List<String> panelQueries = dashboard.findValuesAsText("expr");
        JsonNode rules = new YAMLMapper().readTree(rulesMap.path("data").path("cloudops.rules.yaml").asText());
        List<String> alertQueries = rules.path("groups").findValuesAsText("expr");
        Set<String> alerts = new TreeSet<>(rules.path("groups").findValuesAsText("alert"));
        assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(10);
        assertThat(alerts).contains("CloudOpsDeadLettersGrowing", "CloudOpsOldestQueuedTaskTooOld",
                "CloudOpsLeaseTakeovers", "CloudOpsHttp5xxRate", "CloudOpsDatabaseDown", "CloudOpsDependencyNotReady",
                "CloudOpsNoOrchestrator");

        Set<String> used = new TreeSet<>();
        for (String query : concat(panelQueries, alertQueries)) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).as("metrics the dashboard and the alerts use").hasSizeGreaterThan(15);

        String ok = diagnostic("monitoring-ok-" + UUID.randomUUID(), "never");
        String flaky = diagnostic("monitoring-flaky-" + UUID.randomUUID(), "times:1");
        String doomed = diagnostic("monitoring-doomed-" + UUID.randomUUID(), "always");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(ok) == TaskStatus.SUCCEEDED
                && status(flaky) == TaskStatus.SUCCEEDED && status(doomed) == TaskStatus.DEAD_LETTERED);

        // the run timers are recorded just after the finishing transaction
        Metrics scrape = await().atMost(Duration.ofSeconds(10)).until(Metrics::scrape,
                m -> m.has("cloudops_tasks_dead_lettered_total"));
        assertThat(used.stream().filter(name -> !scrape.has(name)).toList())
                .as("metrics queried by k8s/base/monitoring but not exposed by /q/metrics").isEmpty();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private String diagnostic(String entity, String fail) {
        return given().contentType(ContentType.JSON)
                .body("{\"entityId\":\"" + entity + "\",\"steps\":1,\"stepMillis\":1,\"fail\":\"" + fail + "\"}")
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
    }

    private TaskStatus status(String id) {
        return queries.get(UUID.fromString(id)).map(TaskView::status).orElseThrow();
    }
}
