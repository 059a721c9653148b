package io.cloudops.orchestrator.notification;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

class EventSelectionTest {

    @Test
    void everyRouteKindGetsItsDefaultUnlessTheProjectChose() {
        Map<String, List<String>> defaults = EventSelection.effective(null);
        assertThat(defaults.keySet()).containsExactly(
                java.util.Arrays.stream(RouteKind.values()).map(RouteKind::value).toArray(String[]::new));
        assertThat(defaults.get("teams")).containsExactly("task.succeeded", "task.failed", "task.dead_lettered",
                "task.awaiting_approval", "task.rejected", "sandbox.expiring", "sandbox.expired");
        assertThat(defaults.get("pagerduty")).containsExactly("task.dead_lettered");
        assertThat(defaults.get("email")).doesNotContain("task.succeeded").contains("task.failed",
                "sandbox.expired");

        Map<String, List<String>> chosen = EventSelection.effective(Map.of("email", List.of()));
        assertThat(chosen.get("email")).isEmpty();
        assertThat(chosen.get("teams")).isEqualTo(defaults.get("teams"));
    }

    @Test
    void theSqlDefaultsAreTheSameSelectionAsJson() throws Exception {
        JsonNode json = new ObjectMapper().readTree(EventSelection.defaultsJson());
        for (RouteKind kind : RouteKind.values()) {
            assertThat(json.get(kind.value())).extracting(JsonNode::asText)
                    .containsExactlyElementsOf(EventSelection.effective(null).get(kind.value()));
        }
    }

    @Test
    void anUnknownRouteOrEventIsNamedByItsPath() {
        assertThat(EventSelection.validate(Map.of("teams", List.of("task.failed", "task.exploded"))))
                .hasValueSatisfying(i -> assertThat(i.field()).isEqualTo("notificationEvents.teams[1]"));
        assertThat(EventSelection.validate(Map.of("fax", List.of())))
                .hasValueSatisfying(i -> {
                    assertThat(i.field()).isEqualTo("notificationEvents.fax");
                    assertThat(i.message()).contains("unknown route 'fax'", "teams", "email");
                });
        java.util.HashMap<String, List<String>> nullList = new java.util.HashMap<>();
        nullList.put("email", null);
        assertThat(EventSelection.validate(nullList)).isPresent();
        assertThat(EventSelection.validate(Map.of("email", List.of("sandbox.expiring")))).isEmpty();
    }

    @Test
    void aSandboxNoticeCarriesAnExtendTtlButtonInAWarningCard() {
        NotificationMessage notice = new NotificationMessage(UUID.randomUUID(), "sandbox.expiring", null, null,
                "demo / sandbox-1a2b", "sandbox-1a2b", null, null, null, null, "It is torn down at ...",
                "https://cloudops.example.com/projects/p", "Sandbox demo / sandbox-1a2b expires in 10 min",
                List.of(new NotificationMessage.Button("Extend TTL 1h", "https://cloudops.example.com/links/t0k3n")));
        JsonNode card = TeamsCard.card(notice);
        assertThat(card.at("/body/0/style").asText()).isEqualTo("warning");
        assertThat(card.at("/body/0/items/0/text").asText()).isEqualTo("Sandbox demo / sandbox-1a2b expires in 10 min");
        assertThat(card.at("/actions/0/title").asText()).isEqualTo("Open sandbox");
        assertThat(card.at("/actions/1/title").asText()).isEqualTo("Extend TTL 1h");
        assertThat(card.at("/actions/1/url").asText()).isEqualTo("https://cloudops.example.com/links/t0k3n");
        assertThat(EmailBody.text(notice)).contains("Extend TTL 1h: https://cloudops.example.com/links/t0k3n");
        assertThat(EmailBody.html(notice))
                .contains("<a href=\"https://cloudops.example.com/links/t0k3n\">Extend TTL 1h</a>");
        assertThat(SlackMessage.body(notice).at("/blocks/3/elements/1/url").asText())
                .isEqualTo("https://cloudops.example.com/links/t0k3n");
    }

    @Test
    void theDigestWindowReadsAsPeopleSayIt() {
        assertThat(NotificationMessages.windowLabel(Duration.ofMinutes(5))).isEqualTo("5 minutes");
        assertThat(NotificationMessages.windowLabel(Duration.ofSeconds(3))).isEqualTo("3 seconds");
        assertThat(NotificationMessages.windowLabel(Duration.ofHours(1))).isEqualTo("hour");
    }
}
