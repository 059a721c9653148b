package io.cloudops.orchestrator.notification;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The PagerDuty Events API v2 events: a trigger with the documented payload, a resolve with the same dedup key. */
class PagerDutyEventTest {

    private static final UUID TASK = UUID.fromString("4a0c3c1e-2f7b-4d59-9a8e-0d5c1f2b3a4d");
    private static final String KEY = "R0123456789abcdef0123456789abcd";

    private static NotificationMessage message(String event) {
        return new NotificationMessage(UUID.randomUUID(), event, TASK, "db_backup", "azure-postgres/orders", null,
                Duration.ofMillis(850), "bob", "dump", "pg_dump exited 1", "Check the credentials",
                "https://cloudops.example.com/tasks/" + TASK);
    }

    @Test
    void aDeadLetterTriggersAnIncidentKeyedByItsTask() {
        JsonNode event = PagerDutyEvent.of(KEY, message("dead_lettered"));
        assertThat(event.path("routing_key").asText()).isEqualTo(KEY);
        assertThat(event.path("event_action").asText()).isEqualTo("trigger");
        assertThat(event.path("dedup_key").asText()).isEqualTo("cloudops-task-" + TASK);
        JsonNode payload = event.path("payload");
        assertThat(payload.path("summary").asText()).isEqualTo("db_backup dead-lettered: azure-postgres/orders");
        assertThat(payload.path("source").asText()).isEqualTo("azure-postgres/orders");
        assertThat(payload.path("severity").asText()).isIn("critical", "error", "warning", "info").isEqualTo("error");
        assertThat(payload.path("component").asText()).isEqualTo("db_backup");
        assertThat(payload.at("/custom_details/Failed step").asText()).isEqualTo("dump");
        assertThat(payload.at("/custom_details/Error").asText()).isEqualTo("pg_dump exited 1");
        assertThat(payload.at("/custom_details/Hint").asText()).isEqualTo("Check the credentials");
        assertThat(payload.at("/custom_details/Requested by").asText()).isEqualTo("bob");
        assertThat(event.at("/links/0/href").asText()).isEqualTo("https://cloudops.example.com/tasks/" + TASK);
        assertThat(event.at("/links/0/text").asText()).isEqualTo("Open task");
    }

    @Test
    void theResolutionResolvesTheSameIncidentWithoutAPayload() {
        JsonNode event = PagerDutyEvent.of(KEY, message(NotificationMessage.DEAD_LETTER_RESOLVED));
        assertThat(event.path("event_action").asText()).isEqualTo("resolve");
        assertThat(event.path("dedup_key").asText()).isEqualTo(PagerDutyEvent.dedupKey(TASK));
        assertThat(event.path("routing_key").asText()).isEqualTo(KEY);
        assertThat(event.has("payload")).isFalse();
    }

    @Test
    void aTestIsAnInfoEventOfItsOwnAndALongSummaryIsCut() {
        UUID id = UUID.randomUUID();
        NotificationMessage test = new NotificationMessage(id, "test", null, "test", "project demo", null, null,
                "admin", null, null, null, "https://cloudops.example.com/settings");
        JsonNode event = PagerDutyEvent.of(KEY, test);
        assertThat(event.path("dedup_key").asText()).isEqualTo("cloudops-test-" + id);
        assertThat(event.at("/payload/severity").asText()).isEqualTo("info");

        NotificationMessage long_ = new NotificationMessage(UUID.randomUUID(), "dead_lettered", TASK, "deployment",
                "x".repeat(2000), null, null, "bob", null, null, null, "https://cloudops.example.com/tasks/" + TASK);
        assertThat(PagerDutyEvent.of(KEY, long_).at("/payload/summary").asText()).hasSize(PagerDutyEvent.MAX_SUMMARY);
    }

    @Test
    void theRoutingKeyIsShownMasked() {
        assertThat(RouteKind.PAGERDUTY.mask(KEY)).isEqualTo("****abcd").doesNotContain("0123");
        assertThat(RouteKind.SLACK.mask("https://hooks.slack.com/services/T0/B0/secret"))
                .isEqualTo("https://hooks.slack.com/****");
    }
}
