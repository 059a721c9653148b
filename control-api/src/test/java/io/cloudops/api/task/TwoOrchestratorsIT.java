package io.cloudops.api.task;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.cloudops.api.database.EmbeddedPostgresServer;
import io.cloudops.api.testsupport.EmbeddedAmqpBroker;
import io.cloudops.api.testsupport.HubClient;
import io.cloudops.api.testsupport.PackagedApp;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The production shape, in two JVMs: two packaged apps, both running the orchestrator, on one AMQP
 * broker (an embedded Artemis in the test JVM) and one PostgreSQL server (embedded, started by the
 * test). Tasks of several entities are accepted by both apps alternately; every task must succeed,
 * each entity's tasks must have run one at a time and in acceptance order whichever JVM ran them,
 * both JVMs must have run tasks, and a browser connected to the first app must see, live and exactly
 * once, every event of every task, including those the second JVM wrote (the PostgreSQL event
 * relay, on by default with a database server).
 */
class TwoOrchestratorsIT {

    private static final Logger LOG = Logger.getLogger(TwoOrchestratorsIT.class);

    private static final int ENTITIES = 6;
    private static final int TASKS_PER_ENTITY = 5;
    /** "attempt 1 of 5 on host/pid/suffix": the lease owner of the run. */
    private static final Pattern RUNNER = Pattern.compile("attempt \\d+ of \\d+ on .*/(\\d+)/[^/]+$");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path workDir;

    private static EmbeddedAmqpBroker broker;
    private static EmbeddedPostgresServer postgres;
    private static final List<PackagedApp> apps = new ArrayList<>();

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            for (PackagedApp app : apps) {
                app.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void twoOrchestratorJvmsKeepEachEntityExclusiveAndInOrderAndEitherAppStreamsEveryTask() throws Exception {
        broker = EmbeddedAmqpBroker.start(workDir.resolve("artemis"));
        postgres = EmbeddedPostgresServer.start(workDir.resolve("postgres"), 120);
        String jdbcUrl = "jdbc:postgresql://localhost:" + postgres.port() + "/postgres";
        Map<String, String> env = Map.of(
                "PLATFORM_DB_CONN", jdbcUrl + "?user=postgres",
                "TASK_CHANNEL", "amqp",
                "AMQP_HOST", "127.0.0.1",
                "AMQP_PORT", Integer.toString(broker.port()),
                "AMQP_ADDRESS", EmbeddedAmqpBroker.ADDRESS,
                // fewer sessions per JVM than entities, so that one JVM alone could not take them all at once
                "MAX_CONCURRENT_SESSIONS", "2");
        PackagedApp first = app("app-1", env);
        PackagedApp second = app("app-2", env);
        first.start();
        second.start();
        await("one AMQP receiver per JVM").atMost(Duration.ofSeconds(30))
                .until(() -> broker.taskQueue().getConsumerCount() == 2);

        HttpClient http = HttpClient.newHttpClient();
        try (HubClient watcher = HubClient.connect(http, "localhost", first.port(), "/hubs/tasks")) {
            // the hub subscribes after the handshake: warm-up tasks of the second app until one streams here
            AtomicInteger warmUps = new AtomicInteger();
            await("the watcher on app 1 is live").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        accept(second, "two-jvm/warm-up", warmUps.getAndIncrement());
                        return watcher.sawTerminal();
                    });

            Map<String, List<String>> accepted = new LinkedHashMap<>();
            Map<String, PackagedApp> acceptedBy = new HashMap<>();
            for (int t = 0; t < TASKS_PER_ENTITY; t++) {
                for (int e = 0; e < ENTITIES; e++) {
                    // alternately, also within an entity: its order is the order of acceptance across both apps
                    PackagedApp app = (t + e) % 2 == 0 ? first : second;
                    String entity = "two-jvm/entity-" + e;
                    String id = accept(app, entity, t);
                    accepted.computeIfAbsent(entity, k -> new ArrayList<>()).add(id);
                    acceptedBy.put(id, app);
                }
            }
            List<String> all = accepted.values().stream().flatMap(List::stream).toList();
            await("every task finished").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> all.stream().allMatch(id -> task(first, id).getString("finishedAt") != null));

            Map<String, Long> runner = runners(jdbcUrl);
            for (var entry : accepted.entrySet()) {
                Instant previousFinish = Instant.MIN;
                for (String id : entry.getValue()) {
                    JsonPath task = task(second, id);
                    assertThat(task.getString("status")).as("task %s of %s", id, entry.getKey()).isEqualTo("succeeded");
                    assertThat(task.getInt("attempt")).as("task %s ran once", id).isEqualTo(1);
                    Instant started = Instant.parse(task.getString("startedAt"));
                    Instant finished = Instant.parse(task.getString("finishedAt"));
                    assertThat(started).as("%s: %s starts after the previous task of the entity finished",
                            entry.getKey(), id).isAfterOrEqualTo(previousFinish);
                    for (int s = 0; s < task.getList("steps").size(); s++) {
                        assertThat(Instant.parse(task.getString("steps[" + s + "].startedAt")))
                                .as("%s: step %d of %s inside its task's run", entry.getKey(), s, id)
                                .isAfterOrEqualTo(started);
                        assertThat(Instant.parse(task.getString("steps[" + s + "].finishedAt")))
                                .isBeforeOrEqualTo(finished);
                    }
                    previousFinish = finished;
                    assertThat(runner.get(id)).as("the JVM that ran %s", id).isIn(first.pid(), second.pid());
                }
            }
            LOG.infof("%d tasks ran on app 1, %d on app 2, %d on the app that did not accept them",
                    all.stream().filter(id -> runner.get(id) == first.pid()).count(),
                    all.stream().filter(id -> runner.get(id) == second.pid()).count(),
                    all.stream().filter(id -> runner.get(id) != acceptedBy.get(id).pid()).count());
            assertThat(all).as("tasks run by the first JVM").anyMatch(id -> runner.get(id) == first.pid());
            assertThat(all).as("tasks run by the second JVM").anyMatch(id -> runner.get(id) == second.pid());
            assertThat(all).as("tasks accepted by one JVM and run by the other")
                    .anyMatch(id -> runner.get(id) != acceptedBy.get(id).pid());

            // the browser on app 1: every event of every task, once and in order, wherever it was written
            Map<String, Long> lastSeq = lastSeqs(jdbcUrl);
            await("app 1 streamed every task to its watcher").atMost(Duration.ofSeconds(20))
                    .until(() -> all.stream().allMatch(id -> watcher.terminalOf(UUID.fromString(id))));
            for (String id : all) {
                assertThat(watcher.seqsOf(UUID.fromString(id)))
                        .as("events of %s (ran on %s) seen on app 1", id,
                                runner.get(id) == first.pid() ? "app 1" : "app 2")
                        .isEqualTo(LongStream.rangeClosed(1, lastSeq.get(id)).boxed().toList());
            }
        }
    }

    private static PackagedApp app(String name, Map<String, String> env) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(name));
        Map<String, String> own = new HashMap<>(env);
        own.put("PLATFORM_DATA_DIR", dir.resolve("data").toString());
        PackagedApp app = new PackagedApp(dir,
                Path.of("target", "two-orchestrators-it", name + ".log").toAbsolutePath(),
                own);
        apps.add(app);
        return app;
    }

    private static String accept(PackagedApp app, String entity, int index) {
        return app.api().contentType(ContentType.JSON)
                .header("Idempotency-Key", "two-jvm-" + entity + "-" + index)
                .body("{\"entityId\":\"" + entity + "\",\"steps\":2,\"stepMillis\":60}")
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
    }

    private static JsonPath task(PackagedApp app, String id) {
        return app.api().get("/api/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    /** Per task, the process id of the orchestrator that ran it, from its "running" events. */
    private static Map<String, Long> runners(String jdbcUrl) throws Exception {
        Map<String, Long> runners = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
                PreparedStatement select = c.prepareStatement(
                        "SELECT task_id, message FROM task_event WHERE kind = 'task' AND status = 'running'");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                Matcher m = RUNNER.matcher(rs.getString(2));
                assertThat(m.matches()).as("running event names its orchestrator: %s", rs.getString(2)).isTrue();
                Long before = runners.put(rs.getString(1), Long.parseLong(m.group(1)));
                assertThat(before).as("one run of task %s", rs.getString(1)).isNull();
            }
        }
        return runners;
    }

    private static Map<String, Long> lastSeqs(String jdbcUrl) throws Exception {
        Map<String, Long> last = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
                PreparedStatement select = c.prepareStatement(
                        "SELECT task_id, max(seq), count(*) FROM task_event GROUP BY task_id");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                assertThat(rs.getLong(3)).as("events of %s numbered without gaps", rs.getString(1))
                        .isEqualTo(rs.getLong(2));
                last.put(rs.getString(1), rs.getLong(2));
            }
        }
        return last;
    }
}
