package io.cloudops.api.live;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration;
import io.agroal.api.security.AgroalSecurityProvider;
import io.cloudops.common.task.TaskChannels;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.client.TaskEventBus;
import io.cloudops.orchestrator.client.TaskEventNotices;
import io.cloudops.orchestrator.client.TaskEventRelayConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Brings task events written by other processes (an orchestrator elsewhere, another control-api
 * instance) into this process's {@link TaskEventBus}, so that a browser connected here sees every
 * task live. One background thread holds a dedicated connection (not one of the pool's) that
 * {@code LISTEN}s on {@link TaskChannels#EVENTS_NOTIFY}; for each notice of another process it reads
 * the announced rows of {@code task_event} and publishes them, in {@code seq} order.
 *
 * <p>
 * Notices of this process are not relayed (their events were published in-process after the
 * commit); they only move the task's last seen {@code seq}, so a later read never returns them. The
 * same holds for every notice while nobody in this process follows the bus (no hub or SSE client):
 * an orchestrator that no browser connects to reads no events.
 * What the relay remembers per task is bounded (least recently used beyond
 * {@code relay-tracked-tasks}). When the connection drops, the thread reconnects with a growing
 * pause, logging once per outage, and then catches up on the unfinished tasks it tracks; a task it
 * never saw before the outage is picked up from its next notice (a client that reconnects replays
 * from the store in any case).
 */
@ApplicationScoped
public class TaskEventRelay {

    private static final Logger LOG = Logger.getLogger(TaskEventRelay.class);
    /** The relay connection's {@code application_name} (in {@code pg_stat_activity}). */
    static final String APPLICATION_NAME = "cloudops-event-relay";
    /** How long one wait for notices lasts: bounds how long stopping takes. */
    private static final int WAIT_MILLIS = 500;
    /** A connection idle this long is checked (a dead peer does not always close the socket). */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(15);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);

    private static final String READ_RANGES = """
            SELECT e.task_id, e.seq, e.kind, e.step, e.status, e.message, e.percent, e.ts
            FROM unnest(?::uuid[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS r(task_id, from_seq, to_seq, ord)
            JOIN task_event e ON e.task_id = r.task_id AND e.seq BETWEEN r.from_seq AND r.to_seq
            ORDER BY r.ord, e.seq""";

    private final AgroalDataSource dataSource;
    private final TaskEventBus bus;
    private final TaskEventNotices notices;
    private final TaskEventRelayConfig config;
    /** Per task, the last seq relayed or announced by this process; only the relay thread touches it. */
    private final Map<UUID, Seen> seen;
    /** The listening thread; a thread that is no longer this one (after a stop) ends its loop. */
    private volatile Thread thread;
    private volatile boolean listening;

    /** The last event of a task known here, and whether it ended the task. */
    private record Seen(long seq, boolean terminal) {
    }

    TaskEventRelay(AgroalDataSource dataSource, TaskEventBus bus, TaskEventNotices notices,
            TaskEventRelayConfig config) {
        this.dataSource = dataSource;
        this.bus = bus;
        this.notices = notices;
        this.config = config;
        int capacity = Math.max(1, config.relayTrackedTasks());
        this.seen = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Seen> eldest) {
                return size() > capacity;
            }
        };
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts the listening thread when the relay is on; otherwise does nothing. Idempotent. */
    synchronized void start() {
        if (!config.relayEnabled() || thread != null) {
            return;
        }
        Thread listener = new Thread(this::run, "task-event-relay");
        listener.setDaemon(true);
        thread = listener;
        listener.start();
        LOG.infof("Task event relay on: listening on '%s' for events of other processes (this one is %s)",
                TaskChannels.EVENTS_NOTIFY, notices.origin());
    }

    @PreDestroy
    synchronized void stop() {
        Thread listener = thread;
        thread = null;
        if (listener != null) {
            listener.interrupt();
            try {
                // it sees the stop within one wait for notices (WAIT_MILLIS)
                listener.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listening = false;
    }

    /** Whether the listening thread runs (the relay is on and the application started). */
    synchronized boolean isStarted() {
        return thread != null;
    }

    /** Whether the relay's connection is up and listening (for health and tests). */
    public boolean isListening() {
        return listening;
    }

    /** Whether the calling thread is still the relay's listener (not stopped). */
    private boolean current() {
        return thread == Thread.currentThread();
    }

    private void run() {
        Duration delay = FIRST_RETRY;
        long outageSince = 0;
        while (current()) {
            try (Connection connection = connect()) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + TaskChannels.EVENTS_NOTIFY);
                }
                catchUp(connection);
                listening = current();
                if (outageSince != 0) {
                    LOG.infof("Task event relay reconnected after %d ms",
                            (System.nanoTime() - outageSince) / 1_000_000);
                    outageSince = 0;
                }
                delay = FIRST_RETRY;
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                if (!current()) {
                    break;
                }
                listening = false;
                if (outageSince == 0) {
                    outageSince = System.nanoTime();
                    LOG.warnf(
                            "Task event relay lost the database (%s); events of other processes reach this instance's clients again once it reconnects",
                            e.getMessage());
                } else {
                    LOG.debugf("Task event relay still cannot reach the database: %s", e.getMessage());
                }
                if (!sleep(delay)) {
                    break;
                }
                delay = min(delay.multipliedBy(2), config.relayReconnectMaxDelay());
            }
        }
    }

    /** Waits for notices and relays them, until stopped or the connection fails. */
    private void listen(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long idleSince = System.nanoTime();
        while (current()) {
            PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
            if (received != null && received.length > 0) {
                relay(connection, received);
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > IDLE_CHECK.toNanos()) {
                try (Statement check = connection.createStatement()) {
                    check.execute("SELECT 1");
                }
                idleSince = System.nanoTime();
            }
        }
    }

    /**
     * Turns a batch of notices into ranges of rows to read: own ranges (and every range while nobody
     * follows the bus) only advance the task's last seq; another process's range is read from after
     * the last seq known here (filling any gap) up to its end. Ranges of one task arrive in commit
     * order, which is seq order (one writer per task at a time), so the ranges read are disjoint and
     * in order.
     */
    private void relay(Connection connection, PGNotification[] received) throws SQLException {
        boolean watched = bus.hasSubscribers();
        Map<UUID, Long> last = new HashMap<>();
        List<UUID> task = new ArrayList<>();
        List<Long> from = new ArrayList<>();
        List<Long> to = new ArrayList<>();
        for (PGNotification notification : received) {
            TaskEventNotices.Notice notice;
            try {
                notice = TaskEventNotices.parse(notification.getParameter());
            } catch (IllegalArgumentException e) {
                LOG.debugf("Ignoring a notice on %s: %s", TaskChannels.EVENTS_NOTIFY, e.getMessage());
                continue;
            }
            // nobody watching here (an orchestrator no browser connects to): note the seqs, read nothing
            boolean skip = !watched || notices.origin().equals(notice.origin());
            for (TaskEventNotices.Range range : notice.ranges()) {
                Long known = last.computeIfAbsent(range.taskId(), id -> {
                    Seen s = seen.get(id);
                    return s == null ? null : s.seq();
                });
                if (!skip) {
                    long start = known == null ? range.first() : known + 1;
                    if (start <= range.last()) {
                        task.add(range.taskId());
                        from.add(start);
                        to.add(range.last());
                    }
                }
                last.put(range.taskId(), known == null ? range.last() : Math.max(known, range.last()));
            }
        }
        Map<UUID, TaskEvent> read = task.isEmpty() ? Map.of() : readAndPublish(connection, task, from, to);
        // only after the rows were published: after a failure, the reconnect's catch-up reads them again
        last.forEach((id, seq) -> {
            TaskEvent lastRead = read.get(id);
            Seen before = seen.get(id);
            boolean terminal = lastRead != null && lastRead.seq() == seq
                    ? endsTask(lastRead)
                    : before != null && before.seq() == seq && before.terminal();
            seen.put(id, new Seen(seq, terminal));
        });
    }

    /** After (re)connecting: what the unfinished tracked tasks wrote while nobody listened. */
    private void catchUp(Connection connection) throws SQLException {
        if (!bus.hasSubscribers()) {
            return;
        }
        List<UUID> task = new ArrayList<>();
        List<Long> from = new ArrayList<>();
        List<Long> to = new ArrayList<>();
        seen.forEach((id, s) -> {
            if (!s.terminal()) {
                task.add(id);
                from.add(s.seq() + 1);
                to.add(Long.MAX_VALUE);
            }
        });
        if (task.isEmpty()) {
            return;
        }
        Map<UUID, TaskEvent> read = readAndPublish(connection, task, from, to);
        read.forEach((id, event) -> seen.put(id, new Seen(event.seq(), endsTask(event))));
        LOG.debugf("Task event relay caught up on %d of %d unfinished tasks", read.size(), task.size());
    }

    /** Reads the ranges in one statement and publishes the rows in order; returns the last event read per task. */
    private Map<UUID, TaskEvent> readAndPublish(Connection connection, List<UUID> task, List<Long> from,
            List<Long> to) throws SQLException {
        Map<UUID, TaskEvent> last = new HashMap<>();
        try (PreparedStatement read = connection.prepareStatement(READ_RANGES)) {
            read.setArray(1, connection.createArrayOf("uuid", task.toArray()));
            read.setArray(2, connection.createArrayOf("int8", from.toArray()));
            read.setArray(3, connection.createArrayOf("int8", to.toArray()));
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    TaskEvent event = new TaskEvent(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), (Integer) rs.getObject(7),
                            rs.getTimestamp(8).toInstant());
                    bus.publish(event);
                    last.put(event.taskId(), event);
                }
            }
        }
        return last;
    }

    private static boolean endsTask(TaskEvent event) {
        if (!TaskEvent.KIND_TASK.equals(event.kind()) || event.status() == null) {
            return false;
        }
        try {
            return TaskStatus.fromValue(event.status()).isTerminal();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A connection of its own, with the pool's URL, credentials and driver properties. */
    private Connection connect() throws SQLException {
        AgroalConnectionFactoryConfiguration factory = dataSource.getConfiguration().connectionPoolConfiguration()
                .connectionFactoryConfiguration();
        Properties properties = new Properties();
        properties.putAll(factory.jdbcProperties());
        addSecurity(properties, factory, factory.principal());
        for (Object credential : factory.credentials()) {
            addSecurity(properties, factory, credential);
        }
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", "10");
        Connection connection = new org.postgresql.Driver().connect(factory.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("the relay's database URL is not a PostgreSQL URL", "08001");
        }
        connection.setAutoCommit(true);
        return connection;
    }

    private static void addSecurity(Properties properties, AgroalConnectionFactoryConfiguration factory,
            Object securityObject) {
        if (securityObject == null) {
            return;
        }
        for (AgroalSecurityProvider provider : factory.securityProviders()) {
            Properties security = provider.getSecurityProperties(securityObject);
            if (security != null) {
                properties.putAll(security);
                return;
            }
        }
    }

    private boolean sleep(Duration delay) {
        try {
            Thread.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
