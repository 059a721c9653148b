package io.cloudops.orchestrator.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The Slack message: Block Kit header, fields with the Teams card's facts, error and hint, the "Open task" button. */
class SlackMessageTest {

    private static final UUID TASK = UUID.fromString("4a0c3c1e-2f7b-4d59-9a8e-0d5c1f2b3a4d");

    private static NotificationMessage message(String event, String failedStep, String error, String hint) {
        return new NotificationMessage(UUID.randomUUID(), event, TASK, "deployment", "demo / prod", "prod",
                Duration.ofSeconds(65), "alice", failedStep, error, hint, "https://cloudops.example.com/tasks/" + TASK);
    }

    @Test
    void aFailureCarriesEveryFactTheErrorItsHintAndAnOpenTaskButton() {
        JsonNode body = SlackMessage.body(message("failed", "apply", "kubectl <apply> failed & stopped", "Check RBAC"));
        assertThat(body.path("text").asText()).as("the fallback text").isEqualTo("deployment failed: demo / prod");
        JsonNode blocks = body.path("blocks");
        assertThat(types(blocks)).containsExactly("header", "section", "section", "context", "actions");
        assertThat(blocks.at("/0/text/type").asText()).isEqualTo("plain_text");
        assertThat(blocks.at("/0/text/text").asText()).isEqualTo("deployment failed: demo / prod");
        List<String> fields = new ArrayList<>();
        blocks.at("/1/fields").forEach(f -> {
            assertThat(f.path("type").asText()).isEqualTo("mrkdwn");
            fields.add(f.path("text").asText());
        });
        assertThat(fields).containsExactly("*Task type*\ndeployment", "*Status*\n:red_circle: Failed",
                "*Entity*\ndemo / prod", "*Environment*\nprod", "*Duration*\n1 min 5 s", "*Requested by*\nalice",
                "*Failed step*\napply");
        assertThat(blocks.at("/2/text/text").asText()).as("escaped as Slack's mrkdwn wants")
                .isEqualTo("*Error:* kubectl &lt;apply&gt; failed &amp; stopped");
        assertThat(blocks.at("/3/elements/0/text").asText()).isEqualTo("Check RBAC");
        JsonNode button = blocks.at("/4/elements/0");
        assertThat(button.path("type").asText()).isEqualTo("button");
        assertThat(button.at("/text/text").asText()).isEqualTo("Open task");
        assertThat(button.path("url").asText()).isEqualTo("https://cloudops.example.com/tasks/" + TASK);
        assertThat(button.path("style").asText()).isEqualTo("danger");
    }

    @Test
    void aSuccessIsGreenWithoutErrorBlocksAndATestLinksToTheSettings() {
        JsonNode ok = SlackMessage.body(message("succeeded", null, null, null));
        assertThat(types(ok.path("blocks"))).containsExactly("header", "section", "actions");
        assertThat(ok.at("/blocks/1/fields/1/text").asText()).isEqualTo("*Status*\n:large_green_circle: Succeeded");
        assertThat(ok.at("/blocks/2/elements/0/style").asText()).isEqualTo("primary");

        NotificationMessage test = new NotificationMessage(UUID.randomUUID(), "test", null, "test", "project demo",
                null, null, "admin", null, null, null, "https://cloudops.example.com/settings");
        JsonNode body = SlackMessage.body(test);
        assertThat(body.path("text").asText()).isEqualTo("CloudOps test notification");
        assertThat(body.toString()).contains("This route works");
        assertThat(body.at("/blocks/3/elements/0/text/text").asText()).isEqualTo("Open settings");
    }

    @Test
    void aLongTitleIsCutToTheHeadersLimit() {
        String entity = "x".repeat(400);
        NotificationMessage long_ = new NotificationMessage(UUID.randomUUID(), "failed", TASK, "deployment", entity,
                null, null, "alice", null, null, null, "https://cloudops.example.com/tasks/" + TASK);
        JsonNode body = SlackMessage.body(long_);
        assertThat(body.at("/blocks/0/text/text").asText()).hasSize(150).endsWith("…");
    }

    private static List<String> types(JsonNode blocks) {
        List<String> types = new ArrayList<>();
        blocks.forEach(b -> types.add(b.path("type").asText()));
        return types;
    }
}
