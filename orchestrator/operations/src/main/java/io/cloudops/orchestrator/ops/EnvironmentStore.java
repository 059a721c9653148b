package io.cloudops.orchestrator.ops;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.project.EnvironmentStatus;
import io.cloudops.orchestrator.engine.Tx;

/**
 * The environment rows the operations read and change, in plain JDBC like the rest of the engine.
 * The table belongs to the projects API (control-api's migrations); the orchestrator shares its
 * database in every mode, and sandboxes are the one operation whose steps create, expire and
 * retire environments. Every write here is conditional, so that concurrent instances and retried
 * steps cannot undo each other.
 */
@ApplicationScoped
public class EnvironmentStore {

    /** An environment with the name of its project. */
    public record EnvironmentRecord(UUID id, UUID projectId, String projectName, String name, String type,
            EnvironmentStatus status, Integer ttlMinutes, Instant expiresAt, Instant createdAt) {
    }

    /** A sandbox that the expiry job handed to a {@code sandbox_expire} task. */
    public record DueSandbox(UUID id, UUID projectId, String projectName, String name) {
    }

    /** Outcome of creating a sandbox record. */
    public enum CreateResult {
        CREATED, ALREADY_EXISTS, PROJECT_GONE, NAME_TAKEN
    }

    private final DataSource dataSource;

    EnvironmentStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<EnvironmentRecord> find(UUID id) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    """
                            SELECT e.id, e.project_id, p.name, e.name, e.type, e.status, e.ttl_minutes, e.expires_at, e.created_at
                            FROM environment e JOIN project p ON p.id = e.project_id WHERE e.id = ?""")) {
                select.setObject(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new EnvironmentRecord(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getString(4), rs.getString(5), status(rs.getString(6)),
                            (Integer) rs.getObject(7), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9))));
                }
            }
        });
    }

    /**
     * Inserts an active sandbox whose TTL starts now, unless a row with this id exists already (an
     * earlier attempt of the same task created it: then it is left as it is).
     */
    public CreateResult createSandbox(UUID id, UUID projectId, String name, int ttlMinutes) {
        try {
            boolean inserted = Tx.run(dataSource, c -> {
                try (PreparedStatement insert = c.prepareStatement(
                        """
                                INSERT INTO environment (id, project_id, name, type, ttl_minutes, expires_at, status, created_at)
                                VALUES (?, ?, ?, 'sandbox', ?, date_trunc('milliseconds', now()) + make_interval(mins => ?),
                                        'active', date_trunc('milliseconds', now()))
                                ON CONFLICT (id) DO NOTHING""")) {
                    insert.setObject(1, id);
                    insert.setObject(2, projectId);
                    insert.setString(3, name);
                    insert.setInt(4, ttlMinutes);
                    insert.setInt(5, ttlMinutes);
                    return insert.executeUpdate() == 1;
                }
            });
            return inserted ? CreateResult.CREATED : CreateResult.ALREADY_EXISTS;
        } catch (Tx.DataAccessException e) {
            return switch (String.valueOf(e.sqlState())) {
                case "23503" -> CreateResult.PROJECT_GONE;
                case "23505" -> CreateResult.NAME_TAKEN;
                default -> throw e;
            };
        }
    }

    /** Marks a sandbox expired; false when it already was (a retried step). */
    public boolean markExpired(UUID id) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE environment SET status = 'expired' WHERE id = ? AND type = 'sandbox' AND status <> 'expired'")) {
                update.setObject(1, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    /**
     * Moves due sandboxes from {@code active} to {@code expiring} and returns them. The move is the
     * claim: the row lock and the re-checked {@code status = 'active'} let exactly one instance (of
     * any number running this at once) move each sandbox, and only that one enqueues its expiry.
     */
    public List<DueSandbox> claimDueSandboxes(int limit) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement update = c.prepareStatement("""
                    WITH due AS (
                        SELECT id FROM environment
                        WHERE type = 'sandbox' AND status = 'active' AND expires_at <= now()
                        ORDER BY expires_at
                        LIMIT ?
                        FOR UPDATE SKIP LOCKED)
                    UPDATE environment e SET status = 'expiring'
                    FROM due, project p
                    WHERE e.id = due.id AND p.id = e.project_id AND e.status = 'active'
                    RETURNING e.id, e.project_id, p.name, e.name""")) {
                update.setInt(1, limit);
                return dueSandboxes(update);
            }
        });
    }

    /**
     * Sandboxes left {@code expiring} without an expiry task (their claimer died between the claim and
     * the enqueue): {@code expiryKeyPrefix + id} is the Idempotency-Key their task would carry.
     */
    public List<DueSandbox> expiringWithoutTask(String expiryKeyPrefix, int limit) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement("""
                    SELECT e.id, e.project_id, p.name, e.name
                    FROM environment e JOIN project p ON p.id = e.project_id
                    WHERE e.type = 'sandbox' AND e.status = 'expiring'
                      AND NOT EXISTS (SELECT 1 FROM task t WHERE t.idempotency_key = ? || e.id::text)
                    ORDER BY e.expires_at
                    LIMIT ?""")) {
                select.setString(1, expiryKeyPrefix);
                select.setInt(2, limit);
                return dueSandboxes(select);
            }
        });
    }

    private static List<DueSandbox> dueSandboxes(PreparedStatement statement) throws SQLException {
        List<DueSandbox> due = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                due.add(new DueSandbox(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4)));
            }
        }
        return due;
    }

    private static EnvironmentStatus status(String value) {
        return Arrays.stream(EnvironmentStatus.values()).filter(s -> s.value().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown environment status " + value));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
