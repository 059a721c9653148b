package io.cloudops.orchestrator.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The Teams message: the Workflows envelope, an Adaptive Card 1.5 with the task's facts, colours per outcome. */
class TeamsCardTest {

    private static final UUID TASK = UUID.fromString("4a0c3c1e-2f7b-4d59-9a8e-0d5c1f2b3a4d");

    private static NotificationMessage message(String event, String failedStep, String error, String hint) {
        return new NotificationMessage(UUID.randomUUID(), event, TASK, "deployment", "demo / prod", "prod",
                Duration.ofSeconds(65), "alice", failedStep, error, hint, "https://cloudops.example.com/tasks/" + TASK);
    }

    @Test
    void theEnvelopeIsTheOneWorkflowsWebhooksTake() {
        JsonNode envelope = TeamsCard.envelope(message("succeeded", null, null, null));
        assertThat(envelope.path("type").asText()).isEqualTo("message");
        assertThat(envelope.path("attachments").size()).isEqualTo(1);
        JsonNode attachment = envelope.path("attachments").get(0);
        assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = attachment.path("content");
        assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.path("version").asText()).isEqualTo("1.5");
        assertThat(card.path("$schema").asText()).isEqualTo("http://adaptivecards.io/schemas/adaptive-card.json");
    }

    @Test
    void aFailureCarriesEveryFactTheFailedStepTheErrorAndItsHintInRed() {
        JsonNode card = TeamsCard.card(message("failed", "apply", "rollout timed out", "Check the pods' events"));
        JsonNode header = card.path("body").get(0);
        assertThat(header.path("type").asText()).isEqualTo("Container");
        assertThat(header.path("style").asText()).isEqualTo("attention");
        assertThat(header.at("/items/0/text").asText()).isEqualTo("deployment failed: demo / prod");
        assertThat(header.at("/items/1/text").asText()).isEqualTo("Failed");
        assertThat(header.at("/items/1/color").asText()).isEqualTo("Attention");
        assertThat(facts(card)).containsExactly(Map.entry("Task type", "deployment"), Map.entry("Status", "Failed"),
                Map.entry("Entity", "demo / prod"), Map.entry("Environment", "prod"),
                Map.entry("Duration", "1 min 5 s"), Map.entry("Requested by", "alice"),
                Map.entry("Failed step", "apply"));
        assertThat(texts(card)).contains("rollout timed out", "Check the pods' events");
        JsonNode action = card.path("actions").get(0);
        assertThat(action.path("type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(action.path("title").asText()).isEqualTo("Open task");
        assertThat(action.path("url").asText()).isEqualTo("https://cloudops.example.com/tasks/" + TASK);
    }

    @Test
    void coloursSayTheOutcome() {
        assertThat(TeamsCard.card(message("succeeded", null, null, null)).at("/body/0/style").asText())
                .isEqualTo("good");
        assertThat(TeamsCard.card(message("succeeded", null, null, null)).at("/body/0/items/1/color").asText())
                .isEqualTo("Good");
        assertThat(TeamsCard.card(message("dead_lettered", "apply", "boom", null)).at("/body/0/style").asText())
                .isEqualTo("attention");
        assertThat(TeamsCard.card(message("dead_lettered", "apply", "boom", null)).at("/body/0/items/1/text")
                .asText()).isEqualTo("Dead-lettered");
        assertThat(TeamsCard.card(message("test", null, null, null)).at("/body/0/style").asText())
                .isEqualTo("accent");
    }

    @Test
    void absentFactsAreLeftOutRatherThanShownEmpty() {
        NotificationMessage bare = new NotificationMessage(UUID.randomUUID(), "succeeded", TASK, "db_backup",
                "azure-postgres/orders", null, null, null, null, null, null, "http://localhost:8080/tasks/" + TASK);
        assertThat(facts(TeamsCard.card(bare)).keySet()).containsExactly("Task type", "Status", "Entity");
        assertThat(TeamsCard.card(bare).path("body").size()).as("header and facts only").isEqualTo(2);
    }

    @Test
    void everyElementHasAType() {
        JsonNode card = TeamsCard.card(message("failed", "apply", "boom", "hint"));
        List<String> untyped = new ArrayList<>();
        card.path("body").forEach(e -> {
            if (!e.hasNonNull("type")) {
                untyped.add(e.toString());
            }
        });
        assertThat(untyped).isEmpty();
    }

    private static Map<String, String> facts(JsonNode card) {
        Map<String, String> facts = new LinkedHashMap<>();
        card.path("body").get(1).path("facts")
                .forEach(f -> facts.put(f.path("title").asText(), f.path("value").asText()));
        return facts;
    }

    private static List<String> texts(JsonNode card) {
        List<String> texts = new ArrayList<>();
        card.path("body").forEach(e -> {
            if ("TextBlock".equals(e.path("type").asText())) {
                texts.add(e.path("text").asText());
            }
        });
        return texts;
    }
}
