package io.cloudops.orchestrator.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Paused queues as the claim reads them: a row in {@code queue_pause} for the entity, or the row
 * {@link #ALL_ENTITIES} (maintenance). Written by {@link io.cloudops.orchestrator.client.QueueControl}.
 */
public final class QueuePauses {

    /** The {@code queue_pause} row that pauses every entity. */
    public static final String ALL_ENTITIES = "*";

    private QueuePauses() {
    }

    /** Whether nothing new may start on {@code entityId}, in the caller's transaction. */
    public static boolean isPaused(Connection c, String entityId) throws SQLException {
        try (PreparedStatement select = c
                .prepareStatement("SELECT 1 FROM queue_pause WHERE entity_id IN (?, '" + ALL_ENTITIES + "')")) {
            select.setString(1, entityId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }
}
