package io.cloudops.orchestrator.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.task.TaskChannels;
import io.cloudops.common.task.TaskEvent;

/**
 * The notices by which a transaction that writes task events announces them to other processes
 * ({@code pg_notify} on {@link TaskChannels#EVENTS_NOTIFY}, issued in that transaction, so a notice
 * is delivered only if the events commit). A notice names this process and, per task touched, the
 * range of {@code seq} written: {@code <origin>;<taskId>:<firstSeq>:<lastSeq>;...}. The receiving
 * relay reads the rows themselves from {@code task_event}; the origin lets it skip what this process
 * wrote (and already published in-process).
 */
@ApplicationScoped
public class TaskEventNotices {

    /**
     * Longest payload (ASCII, so characters are bytes). PostgreSQL refuses more than 8000 bytes; a
     * range takes at most 78, so one notice carries at least 90 tasks and larger writes get several.
     */
    static final int MAX_PAYLOAD = 7500;

    /** What one notice says: who wrote, and which events of which tasks. */
    public record Notice(String origin, List<Range> ranges) {
    }

    /** Events {@code first..last} (inclusive) of one task. */
    public record Range(UUID taskId, long first, long last) {
    }

    private final boolean enabled;
    private final String origin;

    TaskEventNotices(TaskEventRelayConfig config) {
        this.enabled = config.relayEnabled();
        // random per process (and per application start): tells this process's notices from the others'
        this.origin = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Whether event writes notify (the relay is on). */
    public boolean enabled() {
        return enabled;
    }

    /** This process's name in its notices. */
    public String origin() {
        return origin;
    }

    /** The payloads announcing {@code events} (several when they are too many for one). */
    public String[] payloads(List<TaskEvent> events) {
        Map<UUID, long[]> ranges = new LinkedHashMap<>();
        for (TaskEvent e : events) {
            long[] range = ranges.computeIfAbsent(e.taskId(), id -> new long[]{e.seq(), e.seq()});
            range[0] = Math.min(range[0], e.seq());
            range[1] = Math.max(range[1], e.seq());
        }
        List<String> payloads = new ArrayList<>(1);
        StringBuilder payload = new StringBuilder(origin);
        for (Map.Entry<UUID, long[]> range : ranges.entrySet()) {
            String item = item(range.getKey(), range.getValue()[0], range.getValue()[1]);
            if (payload.length() + item.length() > MAX_PAYLOAD) {
                payloads.add(payload.toString());
                payload = new StringBuilder(origin);
            }
            payload.append(item);
        }
        payloads.add(payload.toString());
        return payloads.toArray(String[]::new);
    }

    /** The payload announcing events {@code first..last} of one task. */
    public String payload(UUID taskId, long first, long last) {
        return origin + item(taskId, first, last);
    }

    private static String item(UUID taskId, long first, long last) {
        return ";" + taskId + ":" + first + ":" + last;
    }

    /** Reads a payload; throws {@link IllegalArgumentException} when it is not a notice. */
    public static Notice parse(String payload) {
        String[] parts = payload.split(";");
        if (parts.length < 2 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("not a task event notice: " + payload);
        }
        List<Range> ranges = new ArrayList<>(parts.length - 1);
        for (int i = 1; i < parts.length; i++) {
            String[] fields = parts[i].split(":");
            if (fields.length != 3) {
                throw new IllegalArgumentException("not a task event range: " + parts[i]);
            }
            ranges.add(new Range(UUID.fromString(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2])));
        }
        return new Notice(parts[0], ranges);
    }
}
