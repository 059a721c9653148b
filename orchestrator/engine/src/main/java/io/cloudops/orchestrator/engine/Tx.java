package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import javax.sql.DataSource;

import io.cloudops.orchestrator.client.TaskErrors;

/**
 * Plain JDBC transactions for the engine. The engine's writes are few, hot and precise (row locks,
 * {@code ON CONFLICT}, fencing tokens), so it speaks SQL directly instead of through an ORM.
 */
public final class Tx {

    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private Tx() {
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
     * Throws {@link TaskErrors.CommitOutcomeUnknown} when the connection failed during the COMMIT
     * itself: the server may have committed or not, and the caller cannot tell which.
     */
    public static <T> T run(DataSource dataSource, Work<T> work) {
        try (Connection connection = connect(dataSource)) {
            connection.setAutoCommit(false);
            T result;
            try {
                result = work.apply(connection);
                commit(connection);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                restoreAutoCommitQuietly(connection, e);
                throw e;
            }
            connection.setAutoCommit(true);
            return result;
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    /**
     * A connection from the pool. Whatever keeps the pool from handing one out (acquisition timeout,
     * a connection attempt that failed or was interrupted by the pool) means that nothing was done:
     * it is reported as a transient connection failure, never as a bug.
     */
    private static Connection connect(DataSource dataSource) throws SQLException {
        try {
            return dataSource.getConnection();
        } catch (SQLTransientConnectionException e) {
            throw e;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw e;
            }
            throw new SQLTransientConnectionException("no database connection: " + e.getMessage(), "08001", e);
        }
    }

    private static void commit(Connection connection) throws SQLException {
        try {
            connection.commit();
        } catch (SQLException e) {
            // SQLSTATE class 08: the connection broke while the COMMIT was on its way or its answer was
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw new TaskErrors.CommitOutcomeUnknown("the connection was lost during COMMIT: " + e.getMessage(),
                        e);
            }
            throw e;
        }
    }

    /** A failing transaction's connection may be broken: restoring auto-commit must not hide the failure. */
    private static void restoreAutoCommitQuietly(Connection connection, Exception cause) {
        try {
            if (!connection.isClosed()) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            cause.addSuppressed(rollback);
        }
    }

    /** A database failure; the engine treats it as transient. */
    public static class DataAccessException extends RuntimeException {
        public DataAccessException(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        /** PostgreSQL's SQLSTATE, e.g. {@code 23505} for a unique violation. */
        public String sqlState() {
            return ((SQLException) getCause()).getSQLState();
        }
    }
}
