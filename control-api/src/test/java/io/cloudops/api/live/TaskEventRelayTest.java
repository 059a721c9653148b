package io.cloudops.api.live;

import java.net.URL;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.cloudops.api.task.ProbeHandler;
import io.cloudops.api.testsupport.HubClient;
import io.cloudops.api.testsupport.OtherProcessEventWriter;
import io.cloudops.common.task.TaskChannels;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.client.TaskEventBus;
import io.cloudops.orchestrator.client.TaskEventNotices;
import io.cloudops.orchestrator.client.TaskEventRelayConfig;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/**
 * The cross-process relay of task events (on in the test profile): events that another process
 * writes reach this process's hub only through PostgreSQL ({@code NOTIFY} in the writing
 * transaction, {@code LISTEN} here), exactly once and in order; events of a rolled-back transaction
 * never do; this process's own events are not relayed back; the relay survives losing its
 * connection and catches up on what it missed; and with the relay off, writers notify nothing and no
 * listener starts.
 */
@QuarkusTest
class TaskEventRelayTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    EngineConfig engineConfig;

    @Inject
    TaskEventRelay relay;

    @Inject
    TaskEventBus bus;

    @Inject
    TaskEventNotices notices;

    @Inject
    TaskEventRelayConfig relayConfig;

    @Inject
    TaskSubmitter submitter;

    @Inject
    TaskQueries queries;

    private final HttpClient http = HttpClient.newHttpClient();
    private OtherProcessEventWriter otherProcess;

    @BeforeEach
    void otherProcessAndListeningRelay() throws Exception {
        otherProcess = OtherProcessEventWriter.create(json, engineConfig, true);
        await("the relay listens").atMost(Duration.ofSeconds(20)).until(relay::isListening);
    }

    @Test
    void eventsAnotherProcessCommitsReachThisProcessesHubOnceAndInOrder() throws Exception {
        UUID single = UUID.randomUUID();
        // enough tasks in one transaction that the notices are split over several payloads
        List<UUID> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.add(UUID.randomUUID());
        }
        try (HubClient all = hub("/hubs/tasks")) {
            commitAsOtherProcess(single, 1, 3);
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                List<TaskEvent> events = new ArrayList<>();
                for (UUID id : many) {
                    insertTaskRow(c, id);
                    events.addAll(events(id, 1, 2));
                }
                otherProcess.insertEvents(c, events);
                c.commit();
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> all.seqsOf(single).size() == 3
                    && many.stream().allMatch(id -> all.seqsOf(id).size() >= 2));
            assertThat(all.seqsOf(single)).as("every event once, in order").containsExactly(1L, 2L, 3L);
            assertThat(all.messages().stream().filter(m -> single.toString().equals(m.path("taskId").asText()))
                    .map(m -> m.path("status").asText()).toList()).containsExactly("queued", "running", "succeeded");
            for (UUID id : many) {
                assertThat(all.seqsOf(id)).as("task %s of the large transaction", id).containsExactly(1L, 2L);
            }
        }
    }

    @Test
    void aRolledBackTransactionNotifiesNothing() throws Exception {
        UUID rolledBack = UUID.randomUUID();
        UUID committed = UUID.randomUUID();
        try (HubClient all = hub("/hubs/tasks")) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                insertTaskRow(c, rolledBack);
                otherProcess.insertEvents(c, events(rolledBack, 1, 3));
                c.rollback();
                c.setAutoCommit(true);
            }
            // notices are delivered in commit order: had the first one been sent, it would come first
            commitAsOtherProcess(committed, 1, 2);

            await().atMost(Duration.ofSeconds(20)).until(() -> all.seqsOf(committed).size() == 2);
            assertThat(all.seqsOf(rolledBack)).as("events of the rolled-back transaction").isEmpty();
        }
    }

    @Test
    void eventsThisProcessWroteAndPublishedAreNotRelayedBack() throws Exception {
        try (HubClient all = hub("/hubs/tasks")) {
            UUID task = submitter.submit(new TaskSubmitter.Submission(ProbeHandler.TYPE,
                    "relay-own/" + UUID.randomUUID(), json.createObjectNode().put("steps", 2), "test", null, null,
                    null)).taskId();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queries.get(task).orElseThrow().status() == TaskStatus.SUCCEEDED);
            long last = queries.eventsAfter(task, 0, 10_000).getLast().seq();
            // notices are read in commit order: a marker committed afterwards arrives after any relayed copy
            UUID marker = UUID.randomUUID();
            commitAsOtherProcess(marker, 1, 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> all.seqsOf(marker).size() == 1);

            assertThat(all.seqsOf(task)).as("published in-process once, not again by the relay")
                    .isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
        }
    }

    @Test
    void theRelayReconnectsAfterLosingItsConnection() throws Exception {
        UUID task = UUID.randomUUID();
        try (HubClient all = hub("/hubs/tasks")) {
            commitAsOtherProcess(task, 1, 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> all.seqsOf(task).size() == 1);

            int before = relayBackend();
            try (Connection c = dataSource.getConnection(); Statement kill = c.createStatement()) {
                kill.execute("SELECT pg_terminate_backend(" + before + ")");
            }
            // written while the relay is down or reconnecting: its notice may never reach it
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                otherProcess.insertEvents(c, events(task, 2, 3));
                c.commit();
                c.setAutoCommit(true);
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> relay.isListening() && relayBackend() != before);
            await().atMost(Duration.ofSeconds(20)).until(() -> all.seqsOf(task).size() == 3);
            assertThat(all.seqsOf(task)).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void eventsWrittenWhileTheRelayWasNotListeningAreCaughtUpWhenItListensAgain() throws Exception {
        UUID task = UUID.randomUUID();
        try (HubClient all = hub("/hubs/tasks")) {
            commitAsOtherProcess(task, 1, 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> all.seqsOf(task).size() == 2);

            relay.stop();
            try {
                assertThat(relay.isListening()).isFalse();
                given().get("/q/health/ready").then().statusCode(503)
                        .body("checks.find { it.name == 'task-event-relay' }.status", is("DOWN"));
                // nobody listens: this notice is lost for good; only the catch-up can find these events
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    otherProcess.insertEvents(c, events(task, 3, 3));
                    c.commit();
                    c.setAutoCommit(true);
                }
            } finally {
                relay.start();
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> all.seqsOf(task).size() == 3);
            assertThat(all.seqsOf(task)).containsExactly(1L, 2L, 3L);
            given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'task-event-relay' }.status", is("UP"))
                    .body("checks.find { it.name == 'task-event-relay' }.data.relay", is("listening"));
        }
    }

    @Test
    void withTheRelayOffWritersNotifyNothingAndNoListenerStarts() throws Exception {
        OtherProcessEventWriter relayOff = OtherProcessEventWriter.create(json, engineConfig, false);
        UUID silent = UUID.randomUUID();
        UUID announced = UUID.randomUUID();
        List<String> received = new ArrayList<>();
        try (Connection listener = dataSource.getConnection()) {
            try (Statement listen = listener.createStatement()) {
                listen.execute("LISTEN " + TaskChannels.EVENTS_NOTIFY);
            }
            try {
                commitAs(relayOff, silent, 1, 2);
                commitAs(otherProcess, announced, 1, 2);
                PGConnection pg = listener.unwrap(PGConnection.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    PGNotification[] batch = pg.getNotifications(200);
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            received.add(n.getParameter());
                        }
                    }
                    return received.stream().anyMatch(p -> p.contains(announced.toString()));
                });
            } finally {
                try (Statement unlisten = listener.createStatement()) {
                    unlisten.execute("UNLISTEN *");
                }
            }
        }
        assertThat(received).as("notices up to the one announcing the second write")
                .noneMatch(p -> p.contains(silent.toString()));
        assertThat(received).filteredOn(p -> p.contains(announced.toString()))
                .singleElement().asString().isEqualTo(otherProcess.origin() + ";" + announced + ":1:2");

        TaskEventRelay off = new TaskEventRelay(dataSource, bus, notices, relayOff(relayConfig));
        off.start();
        assertThat(off.isStarted()).as("listener with TASK_EVENT_RELAY=none").isFalse();
        off.stop();
    }

    /**
     * A client following every task, once its subscription is live: the hub subscribes after the
     * handshake, and the relay reads nothing while nobody follows the bus, so probes are written until
     * one arrives.
     */
    private HubClient hub(String path) throws Exception {
        HubClient client = HubClient.connect(http, base.getHost(), base.getPort(), path);
        await("the hub client is subscribed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    commitAsOtherProcess(UUID.randomUUID(), 1, 1);
                    return !client.seqs().isEmpty();
                });
        return client;
    }

    private void commitAsOtherProcess(UUID task, long first, long last) throws SQLException {
        commitAs(otherProcess, task, first, last);
    }

    /** A task row and its events {@code first..last} in one transaction of {@code writer}. */
    private void commitAs(OtherProcessEventWriter writer, UUID task, long first, long last) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (first == 1) {
                insertTaskRow(c, task);
            }
            writer.insertEvents(c, events(task, first, last));
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** A finished task, so that no engine of this test JVM ever picks it up. */
    private static void insertTaskRow(Connection c, UUID task) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO task (id, type, status, entity_id, queue_position, payload, max_attempts, created_at)
                VALUES (?, 'diagnostic', 'succeeded', ?, nextval('task_queue_position'), '{}', 1, now())""")) {
            insert.setObject(1, task);
            insert.setString(2, "relay/" + task);
            insert.executeUpdate();
        }
    }

    /** Events {@code first..last}: queued, then running, then succeeded for the third and later. */
    private static List<TaskEvent> events(UUID task, long first, long last) {
        List<TaskEvent> events = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (long seq = first; seq <= last; seq++) {
            String status = seq == 1 ? "queued" : seq == 2 ? "running" : "succeeded";
            events.add(new TaskEvent(task, seq, TaskEvent.KIND_TASK, null, status, "written elsewhere", null, now));
        }
        return events;
    }

    private int relayBackend() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT pid FROM pg_stat_activity WHERE application_name = ? AND datname = current_database()")) {
            select.setString(1, TaskEventRelay.APPLICATION_NAME);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    private static TaskEventRelayConfig relayOff(TaskEventRelayConfig on) {
        return new TaskEventRelayConfig() {
            @Override
            public Relay relay() {
                return Relay.NONE;
            }

            @Override
            public boolean embeddedDatabase() {
                return on.embeddedDatabase();
            }

            @Override
            public int relayTrackedTasks() {
                return on.relayTrackedTasks();
            }

            @Override
            public Duration relayReconnectMaxDelay() {
                return on.relayReconnectMaxDelay();
            }
        };
    }
}
