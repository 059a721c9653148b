package io.cloudops.orchestrator.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.api.PageView;
import io.cloudops.common.audit.AuditEntryView;
import io.cloudops.common.audit.AuditOutcome;
import io.cloudops.orchestrator.engine.Tx;

/**
 * The one writer and reader of {@code audit_log}. Writes happen in the transaction of the change
 * they record: {@link #insert} on the change's own JDBC connection (the engine's {@link Tx}), or
 * {@link #record} from inside a JTA transaction, where the pool hands out that transaction's
 * connection (Hibernate's changes and the entry commit together). Outside any transaction
 * {@link #record} is a transaction of its own, which is what a denied attempt wants.
 */
@ApplicationScoped
public class AuditTrail {

    /** Filters of {@code GET /api/audit}; null means any. {@code from} inclusive, {@code to} exclusive. */
    public record Filter(String actor, String action, String targetType, String targetId, String requestId,
            AuditOutcome outcome, Instant from, Instant to) {
    }

    private static final String INSERT = """
            INSERT INTO audit_log (at, actor, roles, action, target_type, target_id, request_id, source_address, outcome, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""";

    private final DataSource dataSource;
    private final ObjectMapper json;

    AuditTrail(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Inserts {@code entry} (if not null) on {@code connection}, inside the caller's transaction. */
    public static void insert(Connection connection, AuditRecord entry) throws SQLException {
        if (entry != null) {
            insert(connection, List.of(entry));
        }
    }

    /** Inserts {@code entries} in one batch (the driver rewrites it into a multi-row insert). */
    public static void insert(Connection connection, List<AuditRecord> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (AuditRecord entry : entries) {
                insert.setTimestamp(1, Timestamp.from(entry.at()));
                insert.setString(2, cut(entry.actor(), 200));
                insert.setArray(3, connection.createArrayOf("text",
                        entry.roles().stream().map(r -> cut(r, 100)).toArray()));
                insert.setString(4, cut(entry.action(), 64));
                insert.setString(5, cut(entry.targetType(), 32));
                insert.setString(6, cut(entry.targetId(), 255));
                insert.setString(7, cut(entry.requestId(), 128));
                insert.setString(8, cut(entry.sourceAddress(), 64));
                insert.setString(9, entry.outcome().value());
                // PostgreSQL refuses NUL in text and jsonb, whatever a client put into a field
                insert.setString(10, entry.detail().toString().replace("\\u0000", "\\ufffd"));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Writes {@code entry} in the caller's JTA transaction when there is one (the pool enlists the
     * connection), else on its own in auto-commit.
     */
    public void record(AuditRecord entry) {
        try (Connection connection = dataSource.getConnection()) {
            insert(connection, entry);
        } catch (SQLException e) {
            throw new Tx.DataAccessException(e);
        }
    }

    /** A page of entries, newest first (id breaks ties, so paging is stable). */
    public PageView<AuditEntryView> list(Filter filter, int page, int size) {
        return Tx.run(dataSource, c -> {
            List<Object> args = new ArrayList<>();
            String where = where(filter, args);
            long total;
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM audit_log" + where)) {
                bind(count, args);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditEntryView> items = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    """
                            SELECT id, at, actor, roles, action, target_type, target_id, request_id, source_address, outcome, detail::text
                            FROM audit_log"""
                            + where + " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?")) {
                int i = bind(select, args);
                select.setInt(i++, size);
                select.setLong(i, (long) page * size);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        items.add(view(rs));
                    }
                }
            }
            return new PageView<>(items, page, size, total);
        });
    }

    private static String where(Filter filter, List<Object> args) {
        List<String> conditions = new ArrayList<>();
        condition(conditions, args, "actor = ?", filter.actor());
        condition(conditions, args, "action = ?", filter.action());
        condition(conditions, args, "target_type = ?", filter.targetType());
        condition(conditions, args, "target_id = ?", filter.targetId());
        condition(conditions, args, "request_id = ?", filter.requestId());
        condition(conditions, args, "outcome = ?", filter.outcome() == null ? null : filter.outcome().value());
        condition(conditions, args, "at >= ?", filter.from() == null ? null : Timestamp.from(filter.from()));
        condition(conditions, args, "at < ?", filter.to() == null ? null : Timestamp.from(filter.to()));
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static void condition(List<String> conditions, List<Object> args, String sql, Object value) {
        if (value != null) {
            conditions.add(sql);
            args.add(value);
        }
    }

    private static int bind(PreparedStatement statement, List<Object> args) throws SQLException {
        int i = 1;
        for (Object arg : args) {
            statement.setObject(i++, arg);
        }
        return i;
    }

    private AuditEntryView view(ResultSet rs) throws SQLException {
        try {
            return new AuditEntryView(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                    Arrays.asList((String[]) rs.getArray("roles").getArray()), rs.getString("action"),
                    rs.getString("target_type"), rs.getString("target_id"), rs.getString("request_id"),
                    rs.getString("source_address"), rs.getString("outcome"), json.readTree(rs.getString("detail")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit entry " + rs.getLong("id") + " has no JSON detail", e);
        }
    }

    private static String cut(String value, int max) {
        if (value == null) {
            return null;
        }
        String clean = value.replace('\u0000', '\ufffd');
        return clean.length() <= max ? clean : clean.substring(0, max - 1) + "…";
    }
}
