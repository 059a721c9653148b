package io.cloudops.orchestrator.notification;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Every kind of Teams card the control plane sends, checked by Microsoft's Adaptive Cards SDK
 * ({@code tools/adaptivecards}, pinned in its package-lock.json; {@code validate.js}) against schema
 * 1.5: unknown element or action types, invalid property values and missing required properties are
 * reported. A deliberately broken card proves the check reports what it should. Needs Node.js; without
 * it the test is skipped and says so, in CI ({@code CI=true}) it fails.
 */
class TeamsCardSchemaTest {

    private static final Path TOOLS = Path.of("..", "..", "tools", "adaptivecards").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID TASK = UUID.fromString("4a0c3c1e-2f7b-4d59-9a8e-0d5c1f2b3a4d");
    private static final String BASE = "https://cloudops.example.com";

    @BeforeAll
    static void install() throws Exception {
        if (Files.isRegularFile(TOOLS.resolve("node_modules/adaptivecards/dist/adaptivecards.js"))) {
            return;
        }
        boolean npm = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "npm")));
        if (!npm) {
            assertThat(System.getenv("CI")).as("Node.js and npm are required in CI (Adaptive Cards SDK)")
                    .isNotEqualTo("true");
            abort("SKIPPED LOUDLY: validating the Teams cards needs Node.js and npm (Debian: apt-get install nodejs npm)");
        }
        Process process = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(TOOLS.toFile())
                .redirectErrorStream(true).redirectOutput(TOOLS.resolve("npm-ci.log").toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("npm ci in " + TOOLS + " finished").isTrue();
        assertThat(process.exitValue()).as("npm ci in " + TOOLS + " (see npm-ci.log there)").isZero();
    }

    @Test
    void everyCardWeSendIsAValidAdaptiveCard15() throws Exception {
        Map<String, JsonNode> cards = new LinkedHashMap<>();
        for (String event : List.of("succeeded", "failed", "dead_lettered", "awaiting_approval", "rejected", "test")) {
            cards.put(event, TeamsCard.card(task(event)));
        }
        cards.put("sandbox.expiring",
                TeamsCard.card(new NotificationMessage(UUID.randomUUID(), "sandbox.expiring", null,
                        null, "demo / sandbox-1a2b", "sandbox-1a2b", null, null, null, null,
                        "It is torn down at 12:00.",
                        BASE + "/projects/p", "Sandbox demo / sandbox-1a2b expires in 10 min",
                        List.of(new NotificationMessage.Button("Extend TTL 1h", BASE + "/links/t")))));
        cards.put("digest", TeamsCard.card(new NotificationMessage(UUID.randomUUID(), "digest", null, null,
                "project demo", null, null, null, null, null, "The route's limit held these back.",
                BASE + "/tasks?status=failed", "12 more tasks failed in demo in the last 5 minutes", List.of())));
        ObjectNode broken = TeamsCard.card(task("failed"));
        ((ObjectNode) broken.path("actions").get(0)).remove("url");
        ((ArrayNode) broken.path("body")).addObject().put("type", "TextBlok").put("text", "typo");
        cards.put("broken", broken);

        Map<String, List<String>> report = validate(cards);

        assertThat(report.get("broken")).as("the check finds what is wrong with a broken card")
                .anyMatch(p -> p.contains("TextBlok")).anyMatch(p -> p.contains("\"url\""));
        report.remove("broken");
        assertThat(report).hasSize(8);
        report.forEach((event, problems) -> assertThat(problems).as("problems of the " + event + " card").isEmpty());
    }

    private static NotificationMessage task(String event) {
        List<NotificationMessage.Button> buttons = switch (event) {
            case "failed", "dead_lettered" -> List.of(new NotificationMessage.Button("Retry", BASE + "/links/r"));
            case "awaiting_approval" -> List.of(new NotificationMessage.Button("Approve", BASE + "/links/a"),
                    new NotificationMessage.Button("Reject", BASE + "/links/j"));
            default -> List.of();
        };
        boolean failed = event.equals("failed") || event.equals("dead_lettered");
        return new NotificationMessage(UUID.randomUUID(), event, TASK, "deployment", "demo / prod", "prod",
                Duration.ofSeconds(65), "alice", failed ? "apply" : null, failed ? "rollout timed out" : null,
                failed ? "Check the pods' events" : null, BASE + "/tasks/" + TASK, null, buttons);
    }

    private static Map<String, List<String>> validate(Map<String, JsonNode> cards) throws Exception {
        ArrayNode input = JSON.createArrayNode();
        cards.forEach((name, card) -> input.addObject().put("name", name).set("card", card));
        Path file = Files.createDirectories(Path.of("target")).resolve("teams-cards.json");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(input));
        Process node = new ProcessBuilder("node", TOOLS.resolve("validate.js").toString(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(1, TimeUnit.MINUTES)).as("validate.js finished").isTrue();
        assertThat(node.exitValue()).as("validate.js exit code; output: " + out).isZero();
        Map<String, List<String>> report = new LinkedHashMap<>();
        JSON.readTree(out).properties().forEach(e -> report.put(e.getKey(),
                JSON.convertValue(e.getValue(),
                        JSON.getTypeFactory().constructCollectionType(List.class, String.class))));
        return report;
    }
}
