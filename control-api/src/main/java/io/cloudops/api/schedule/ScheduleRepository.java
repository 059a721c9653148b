package io.cloudops.api.schedule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.common.schedule.ScheduleRunView;

/**
 * The one writer of {@code schedule} and {@code schedule_run}, in plain JDBC: the poller's claim
 * ({@code FOR UPDATE SKIP LOCKED}) and its at-most-once insert ({@code ON CONFLICT DO NOTHING}) are
 * precise SQL, and a claim's transaction stays open while its run is submitted through services that
 * open transactions of their own, so it must not be the thread's JTA transaction.
 */
@ApplicationScoped
public class ScheduleRepository {

    private static final String COLUMNS = "id, name, operation, request, cron, time_zone, overlap_policy, enabled, "
            + "created_by, created_at, updated_at, next_run_at, last_run_at, last_outcome";

    /** Work inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final ObjectMapper json;

    ScheduleRepository(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Runs {@code work} in a transaction of its own: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("schedule store: " + e.getMessage(), e);
        }
    }

    public void insert(Connection c, Schedule s) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO schedule (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, s.id());
            insert.setString(2, s.name());
            insert.setString(3, s.operation());
            insert.setObject(4, s.request().toString(), Types.OTHER);
            insert.setString(5, s.cron());
            insert.setString(6, s.timeZone());
            insert.setString(7, s.overlapPolicy().value());
            insert.setBoolean(8, s.enabled());
            insert.setString(9, s.createdBy());
            insert.setTimestamp(10, Timestamp.from(s.createdAt()));
            insert.setTimestamp(11, Timestamp.from(s.updatedAt()));
            insert.setTimestamp(12, timestamp(s.nextRunAt()));
            insert.setTimestamp(13, timestamp(s.lastRunAt()));
            insert.setString(14, s.lastOutcome());
            insert.executeUpdate();
        }
    }

    public boolean nameTaken(Connection c, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM schedule WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    public List<Schedule> list(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM schedule ORDER BY name")) {
            return read(select);
        }
    }

    public Optional<Schedule> find(Connection c, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM schedule WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setObject(1, id);
            return read(select).stream().findFirst();
        }
    }

    /**
     * The enabled schedule due longest ago ({@code next_run_at <= now}) that no other transaction holds,
     * locked until this transaction ends; empty when there is none.
     */
    public Optional<Schedule> claimDue(Connection c, Instant now) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
                + " FROM schedule WHERE enabled AND next_run_at <= ? ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            select.setTimestamp(1, Timestamp.from(now));
            return read(select).stream().findFirst();
        }
    }

    /** Enables ({@code nextRunAt} set) or disables ({@code nextRunAt} null) a schedule. */
    public void setEnabled(Connection c, UUID id, boolean enabled, Instant nextRunAt, Instant now)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE schedule SET enabled = ?, next_run_at = ?, updated_at = ? WHERE id = ?")) {
            update.setBoolean(1, enabled);
            update.setTimestamp(2, timestamp(nextRunAt));
            update.setTimestamp(3, Timestamp.from(now));
            update.setObject(4, id);
            update.executeUpdate();
        }
    }

    /** After a claim: the next due time (null: none) and the latest due time recorded. */
    public void advance(Connection c, UUID id, Instant nextRunAt, Instant lastRunAt, RunOutcome lastOutcome)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE schedule SET next_run_at = ?, last_run_at = ?, last_outcome = ? WHERE id = ?")) {
            update.setTimestamp(1, timestamp(nextRunAt));
            update.setTimestamp(2, timestamp(lastRunAt));
            update.setString(3, lastOutcome.value());
            update.setObject(4, id);
            update.executeUpdate();
        }
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM schedule WHERE id = ?")) {
            delete.setObject(1, id);
            return delete.executeUpdate() == 1;
        }
    }

    /**
     * Records what due time {@code dueAt} did; false, and nothing written, if it was recorded before
     * (by this or another instance): a due time is recorded, and so fired, at most once.
     */
    public boolean recordRun(Connection c, UUID scheduleId, Instant dueAt, RunOutcome outcome, UUID taskId,
            String detail, Instant now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                """
                        INSERT INTO schedule_run (schedule_id, due_at, outcome, task_id, detail, recorded_at)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (schedule_id, due_at) DO NOTHING""")) {
            insert.setObject(1, scheduleId);
            insert.setTimestamp(2, Timestamp.from(dueAt));
            insert.setString(3, outcome.value());
            insert.setObject(4, taskId);
            insert.setString(5, detail == null ? null : truncate(detail));
            insert.setTimestamp(6, Timestamp.from(now));
            return insert.executeUpdate() == 1;
        }
    }

    /** Sets the outcome of a due time recorded in this transaction. */
    public void settleRun(Connection c, UUID scheduleId, Instant dueAt, RunOutcome outcome, UUID taskId,
            String detail) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE schedule_run SET outcome = ?, task_id = ?, detail = ? WHERE schedule_id = ? AND due_at = ?")) {
            update.setString(1, outcome.value());
            update.setObject(2, taskId);
            update.setString(3, detail == null ? null : truncate(detail));
            update.setObject(4, scheduleId);
            update.setTimestamp(5, Timestamp.from(dueAt));
            update.executeUpdate();
        }
    }

    /** The tasks of the latest {@code limit} fired runs, newest first. */
    public List<UUID> firedTasks(Connection c, UUID scheduleId, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT task_id FROM schedule_run WHERE schedule_id = ? AND outcome = 'fired' AND task_id IS NOT NULL "
                        + "ORDER BY due_at DESC LIMIT ?")) {
            select.setObject(1, scheduleId);
            select.setInt(2, limit);
            List<UUID> tasks = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    tasks.add(rs.getObject("task_id", UUID.class));
                }
            }
            return tasks;
        }
    }

    /** The latest {@code limit} runs, newest first. */
    public List<ScheduleRunView> runs(Connection c, UUID scheduleId, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT due_at, outcome, task_id, detail, recorded_at FROM schedule_run WHERE schedule_id = ? "
                        + "ORDER BY due_at DESC LIMIT ?")) {
            select.setObject(1, scheduleId);
            select.setInt(2, limit);
            List<ScheduleRunView> runs = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    runs.add(new ScheduleRunView(rs.getTimestamp("due_at").toInstant(), rs.getString("outcome"),
                            rs.getObject("task_id", UUID.class), rs.getString("detail"),
                            rs.getTimestamp("recorded_at").toInstant()));
                }
            }
            return runs;
        }
    }

    private List<Schedule> read(PreparedStatement select) throws SQLException {
        List<Schedule> schedules = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                schedules.add(new Schedule(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getString("operation"), request(rs.getString("request")), rs.getString("cron"),
                        rs.getString("time_zone"), OverlapPolicy.find(rs.getString("overlap_policy")).orElseThrow(),
                        rs.getBoolean("enabled"), rs.getString("created_by"), instant(rs, "created_at"),
                        instant(rs, "updated_at"), instant(rs, "next_run_at"), instant(rs, "last_run_at"),
                        rs.getString("last_outcome")));
            }
        }
        return schedules;
    }

    private ObjectNode request(String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a schedule's request is not JSON", e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant.truncatedTo(ChronoUnit.MICROS));
    }

    private static String truncate(String detail) {
        return detail.length() <= 2000 ? detail : detail.substring(0, 1997) + "...";
    }
}
