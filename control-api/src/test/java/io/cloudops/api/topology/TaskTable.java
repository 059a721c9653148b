package io.cloudops.api.topology;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the engine's tables say about the tasks of a topology run, read over JDBC straight from
 * PostgreSQL (never through the apps' proxy): task rows in queue order, who ran each attempt (the
 * "running" event names the lease owner, {@code attempt 1 of 5 on host/pid/suffix}), and overlaps
 * of whole tasks within an entity.
 */
final class TaskTable {

    private static final Pattern RUNNER = Pattern.compile("attempt \\d+ of \\d+ on .*/(\\d+)/[^/]+$");
    private static final List<String> TERMINAL = List.of("succeeded", "failed", "cancelled", "dead_lettered");

    /** One task row. */
    record Row(String id, String entity, long queuePosition, String status, int attempt, Instant startedAt,
            Instant finishedAt) {

        boolean terminal() {
            return TERMINAL.contains(status);
        }
    }

    /** One run of a task: the "running" event of an attempt. */
    record Run(String task, long pid, Instant at) {
    }

    private final String url;

    TaskTable(String url) {
        this.url = url;
    }

    /** Every task, per entity in queue order. */
    Map<String, List<Row>> byEntity() throws SQLException {
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        query("SELECT id, entity_id, queue_position, status, attempt, started_at, finished_at FROM task"
                + " ORDER BY entity_id, queue_position", rs -> {
                    Row row = new Row(rs.getString("id"), rs.getString("entity_id"), rs.getLong("queue_position"),
                            rs.getString("status"), rs.getInt("attempt"), instant(rs, "started_at"),
                            instant(rs, "finished_at"));
                    rows.computeIfAbsent(row.entity(), k -> new ArrayList<>()).add(row);
                });
        return rows;
    }

    /** Task rows by id. */
    Map<String, Row> rows(Collection<String> ids) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        byEntity().values().forEach(list -> list.stream().filter(r -> ids.contains(r.id()))
                .forEach(r -> rows.put(r.id(), r)));
        return rows;
    }

    boolean allTerminal(Collection<String> ids) throws SQLException {
        Map<String, Row> rows = rows(ids);
        return rows.size() == ids.size() && rows.values().stream().allMatch(Row::terminal);
    }

    /**
     * Whole-task overlaps within an entity: task N+1 (in queue order) started before task N
     * finished, or while N had not finished at all.
     */
    List<String> overlaps() throws SQLException {
        List<String> found = new ArrayList<>();
        for (List<Row> tasks : byEntity().values()) {
            for (int i = 1; i < tasks.size(); i++) {
                Row previous = tasks.get(i - 1);
                Row next = tasks.get(i);
                if (next.startedAt() != null && (previous.finishedAt() == null
                        || next.startedAt().isBefore(previous.finishedAt()))) {
                    found.add("%s: %s (pos %d) started %s, before %s (pos %d) finished %s".formatted(next.entity(),
                            next.id(), next.queuePosition(), next.startedAt(), previous.id(),
                            previous.queuePosition(), previous.finishedAt()));
                }
            }
        }
        return found;
    }

    /** Steps of single-attempt tasks that ran outside their task's run (started before it, ended after it). */
    List<String> stepsOutsideTheirTask() throws SQLException {
        List<String> found = new ArrayList<>();
        query("SELECT s.task_id, s.idx FROM task_step s JOIN task t ON t.id = s.task_id WHERE t.attempt = 1"
                + " AND (s.started_at < t.started_at OR s.finished_at > t.finished_at)",
                rs -> found.add(rs.getString("task_id") + " step " + rs.getInt("idx")));
        return found;
    }

    /** Every run ("running" event) of every task, in order. */
    List<Run> runs() throws SQLException {
        List<Run> runs = new ArrayList<>();
        query("SELECT task_id, message, ts FROM task_event WHERE kind = 'task' AND status = 'running'"
                + " ORDER BY task_id, seq", rs -> {
                    Matcher m = RUNNER.matcher(rs.getString("message"));
                    if (!m.matches()) {
                        throw new IllegalStateException("running event without its runner: " + rs.getString("message"));
                    }
                    runs.add(new Run(rs.getString("task_id"), Long.parseLong(m.group(1)), instant(rs, "ts")));
                });
        return runs;
    }

    /** Per task, the process that runs (or ran) its latest attempt. */
    Map<String, Long> latestRunner() throws SQLException {
        Map<String, Long> latest = new HashMap<>();
        runs().forEach(run -> latest.put(run.task(), run.pid()));
        return latest;
    }

    /** The first run of {@code task} that started after {@code after}. */
    Optional<Instant> runStartedAfter(String task, Instant after) throws SQLException {
        return runs().stream().filter(r -> r.task().equals(task) && r.at().isAfter(after)).map(Run::at).findFirst();
    }

    /** Ids of running tasks that have a running step right now. */
    List<String> midStep() throws SQLException {
        List<String> ids = new ArrayList<>();
        query("SELECT DISTINCT t.id FROM task t JOIN task_step s ON s.task_id = t.id"
                + " WHERE t.status = 'running' AND s.status = 'running'", rs -> ids.add(rs.getString("id")));
        return ids;
    }

    /** Per task, the last seq of its events, after checking they are numbered without gaps. */
    Map<String, Long> lastSeqs() throws SQLException {
        Map<String, Long> last = new HashMap<>();
        query("SELECT task_id, max(seq) AS last, count(*) AS n FROM task_event GROUP BY task_id", rs -> {
            if (rs.getLong("n") != rs.getLong("last")) {
                throw new IllegalStateException("events of " + rs.getString("task_id") + " have gaps");
            }
            last.put(rs.getString("task_id"), rs.getLong("last"));
        });
        return last;
    }

    private interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowConsumer consumer) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement select = c.prepareStatement(sql);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                consumer.accept(rs);
            }
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
