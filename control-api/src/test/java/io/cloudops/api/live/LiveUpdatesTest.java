package io.cloudops.api.live;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.task.ProbeHandler;
import io.cloudops.api.testsupport.HubClient;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every state change reaches every watching client, in order, without gaps or duplicates, over the
 * WebSocket hub and the SSE fallback, and a client that reconnects with its last seq gets exactly
 * what it missed.
 */
@QuarkusTest
class LiveUpdatesTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    TaskSubmitter submitter;

    @Inject
    TaskQueries queries;

    @Inject
    ObjectMapper json;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoClientsWatchingATaskSeeTheSameCompleteSequenceLive() throws Exception {
        String gate = "live-" + UUID.randomUUID();
        UUID task = submitProbe("live/" + gate, gate, 3);
        assertThat(ProbeHandler.awaitEntered(gate)).isTrue();

        HubClient first = connect("/hubs/tasks?taskId=" + task + "&afterSeq=0");
        HubClient second = connect("/hubs/tasks?taskId=" + task);
        // both have the replay (accepted, running, ...) before the task moves on
        await().atMost(Duration.ofSeconds(10)).until(() -> first.seqs().contains(2L) && second.seqs().contains(2L));
        ProbeHandler.open(gate);

        await().atMost(Duration.ofSeconds(20)).until(() -> first.sawTerminal() && second.sawTerminal());
        long last = queries.eventsAfter(task, 0, 10_000).getLast().seq();
        List<Long> expected = LongStream.rangeClosed(1, last).boxed().toList();
        assertThat(first.seqs()).as("first client: every event once, in order").isEqualTo(expected);
        assertThat(second.seqs()).as("second client").isEqualTo(expected);
        assertThat(first.messages().stream().filter(m -> "log".equals(m.path("kind").asText())).count()).isEqualTo(3);
        first.close();
        second.close();
    }

    @Test
    void aReconnectingClientGetsExactlyWhatItMissed() throws Exception {
        UUID task = submitProbe("resume/" + UUID.randomUUID(), null, 2);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> queries.get(task).orElseThrow().status() == TaskStatus.SUCCEEDED);
        long last = queries.eventsAfter(task, 0, 10_000).getLast().seq();

        HubClient client = connect("/hubs/tasks?taskId=" + task + "&afterSeq=3");
        await().atMost(Duration.ofSeconds(10)).until(client::sawTerminal);
        assertThat(client.seqs()).isEqualTo(LongStream.rangeClosed(4, last).boxed().toList());
        client.close();
    }

    @Test
    void followingAllTasksSeesEventsOfEveryTask() throws Exception {
        HubClient all = connect("/hubs/tasks").awaitSubscribed();
        UUID a = submitProbe("all/a-" + UUID.randomUUID(), null, 1);
        UUID b = submitProbe("all/b-" + UUID.randomUUID(), null, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> all.terminalOf(a) && all.terminalOf(b));
        all.close();
    }

    @Test
    void theSseFallbackReplaysAfterLastEventIdAndEndsWhenTheTaskIsTerminal() throws Exception {
        UUID task = submitProbe("sse/" + UUID.randomUUID(), null, 2);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> queries.get(task).orElseThrow().status() == TaskStatus.SUCCEEDED);
        long last = queries.eventsAfter(task, 0, 10_000).getLast().seq();

        HttpResponse<java.io.InputStream> response = http.send(
                HttpRequest.newBuilder(base.toURI().resolve("/api/tasks/" + task + "/sse"))
                        .header("Last-Event-ID", "2").timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<Long> ids = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) { // the server ends the stream after the terminal event
                if (line.startsWith("id:")) {
                    ids.add(Long.parseLong(line.substring(3).strip()));
                }
            }
        }
        assertThat(ids).isEqualTo(LongStream.rangeClosed(3, last).boxed().toList());
    }

    @Test
    void theSseStreamOfAnUnknownTaskIsA404Problem() throws Exception {
        HttpResponse<String> response = http
                .send(HttpRequest.newBuilder(base.toURI().resolve("/api/tasks/" + UUID.randomUUID() + "/sse"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
    }

    private UUID submitProbe(String entity, String gate, int steps) {
        var payload = json.createObjectNode().put("steps", steps);
        if (gate != null) {
            payload.put("gate", gate);
        }
        return submitter
                .submit(new TaskSubmitter.Submission(ProbeHandler.TYPE, entity, payload, "test", null, null, null))
                .taskId();
    }

    private HubClient connect(String path) throws Exception {
        return HubClient.connect(http, base.getHost(), base.getPort(), path);
    }
}
