package io.cloudops.orchestrator.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cloudops.common.task.TaskEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskEventNoticesTest {

    private final TaskEventNotices notices = new TaskEventNotices(config(TaskEventRelayConfig.Relay.POSTGRES, false));

    @Test
    void aNoticeNamesItsOriginAndTheSeqRangeOfEachTask() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        String[] payloads = notices.payloads(List.of(event(a, 4), event(b, 1), event(a, 5), event(a, 6)));

        assertThat(payloads).containsExactly(notices.origin() + ";" + a + ":4:6;" + b + ":1:1");
        TaskEventNotices.Notice notice = TaskEventNotices.parse(payloads[0]);
        assertThat(notice.origin()).isEqualTo(notices.origin());
        assertThat(notice.ranges()).containsExactly(new TaskEventNotices.Range(a, 4, 6),
                new TaskEventNotices.Range(b, 1, 1));
    }

    @Test
    void manyTasksAreSplitOverPayloadsBelowPostgresLimit() {
        List<TaskEvent> events = new ArrayList<>();
        List<UUID> tasks = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            UUID task = UUID.randomUUID();
            tasks.add(task);
            events.add(event(task, 1_000_000_000_000L + i));
        }
        String[] payloads = notices.payloads(events);

        assertThat(payloads.length).isGreaterThan(1);
        List<UUID> announced = new ArrayList<>();
        for (String payload : payloads) {
            assertThat(payload.getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(TaskEventNotices.MAX_PAYLOAD)
                    .isLessThan(8000);
            TaskEventNotices.Notice notice = TaskEventNotices.parse(payload);
            assertThat(notice.origin()).isEqualTo(notices.origin());
            notice.ranges().forEach(r -> announced.add(r.taskId()));
        }
        assertThat(announced).containsExactlyElementsOf(tasks);
    }

    @Test
    void eachProcessHasItsOwnOrigin() {
        TaskEventNotices other = new TaskEventNotices(config(TaskEventRelayConfig.Relay.POSTGRES, false));
        assertThat(other.origin()).isNotEqualTo(notices.origin()).doesNotContain(";").doesNotContain(":");
    }

    @Test
    void autoRelaysUnlessTheDatabaseIsEmbeddedInThisProcess() {
        assertThat(config(TaskEventRelayConfig.Relay.AUTO, false).relayEnabled()).isTrue();
        assertThat(config(TaskEventRelayConfig.Relay.AUTO, true).relayEnabled()).isFalse();
        assertThat(config(TaskEventRelayConfig.Relay.POSTGRES, true).relayEnabled()).isTrue();
        assertThat(config(TaskEventRelayConfig.Relay.NONE, false).relayEnabled()).isFalse();
        assertThat(new TaskEventNotices(config(TaskEventRelayConfig.Relay.NONE, false)).enabled()).isFalse();
    }

    @Test
    void aPayloadThatIsNotANoticeIsRefused() {
        assertThatThrownBy(() -> TaskEventNotices.parse("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskEventNotices.parse("origin;not-a-uuid:1:2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskEventNotices.parse("origin;" + UUID.randomUUID() + ":1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static TaskEvent event(UUID task, long seq) {
        return new TaskEvent(task, seq, TaskEvent.KIND_LOG, "step", null, "line", null, Instant.now());
    }

    private static TaskEventRelayConfig config(TaskEventRelayConfig.Relay relay, boolean embedded) {
        return new TaskEventRelayConfig() {
            @Override
            public Relay relay() {
                return relay;
            }

            @Override
            public boolean embeddedDatabase() {
                return embedded;
            }

            @Override
            public int relayTrackedTasks() {
                return 10;
            }

            @Override
            public Duration relayReconnectMaxDelay() {
                return Duration.ofSeconds(1);
            }
        };
    }
}
