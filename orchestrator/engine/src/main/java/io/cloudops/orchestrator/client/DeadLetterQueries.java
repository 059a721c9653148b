package io.cloudops.orchestrator.client;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.api.PageView;
import io.cloudops.common.task.DeadLetterView;
import io.cloudops.orchestrator.engine.Tx;

/** The dead-letter queue as the API and the console read it: newest first, with each task's type and entity. */
@ApplicationScoped
public class DeadLetterQueries {

    private static final String DEAD_LETTER_SELECT = """
            SELECT d.id, d.task_id, t.type, t.entity_id, d.original_message::text, d.last_error, d.attempts, d.dead_lettered_at,
                   d.resolution, d.resolved_at, d.resolved_by, t.entity_label
            FROM dead_letter d JOIN task t ON t.id = d.task_id""";

    private final DataSource dataSource;
    private final TaskQueries queries;

    DeadLetterQueries(DataSource dataSource, TaskQueries queries) {
        this.dataSource = dataSource;
        this.queries = queries;
    }

    public PageView<DeadLetterView> deadLetters(boolean includeResolved, int page, int size) {
        String where = includeResolved ? "" : " WHERE d.resolution IS NULL";
        return Tx.run(dataSource, c -> {
            long total;
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM dead_letter d" + where)) {
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<DeadLetterView> items = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    DEAD_LETTER_SELECT + where + " ORDER BY d.dead_lettered_at DESC, d.id LIMIT ? OFFSET ?")) {
                select.setInt(1, size);
                select.setLong(2, (long) page * size);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        items.add(deadLetter(rs));
                    }
                }
            }
            return new PageView<>(items, page, size, total);
        });
    }

    public Optional<DeadLetterView> deadLetter(UUID id) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement select = c.prepareStatement(DEAD_LETTER_SELECT + " WHERE d.id = ?")) {
                select.setObject(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(deadLetter(rs)) : Optional.empty();
                }
            }
        });
    }

    private DeadLetterView deadLetter(ResultSet rs) throws SQLException {
        return new DeadLetterView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString("entity_label"),
                queries.readJson(rs.getString(5)), rs.getString(6), rs.getInt(7), TaskQueries.instant(rs, 8),
                rs.getString(9),
                TaskQueries.instant(rs, 10),
                rs.getString(11));
    }
}
