package io.cloudops.api.problem;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Recognises a failure caused by the database being unreachable (connection refused or lost,
 * server shutting down, no pooled connection within the acquisition timeout), as opposed to a bug.
 * Such a request changed nothing, so the API answers 503 with Retry-After instead of a 500.
 */
final class DatabaseOutage {

    private DatabaseOutage() {
    }

    static boolean isCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                // 08: connection exception; 57P01-03: admin shutdown, crash shutdown, cannot connect now;
                // 57014: statement_timeout (PLATFORM_DB_STATEMENT_TIMEOUT_MS) cancelled it, the database is too slow now
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("57014"))) {
                    return true;
                }
                String message = sql.getMessage();
                if (message != null && message.contains("Acquisition timeout")) {
                    return true;
                }
            }
            // pgjdbc's answer when the pool gives up on a connection attempt hanging in its login (a stalled server)
            if (t.getMessage() != null && t.getMessage().contains("Interrupted while attempting to connect")) {
                return true;
            }
        }
        return false;
    }
}
