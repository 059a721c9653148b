package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

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

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    public static <T> T run(DataSource dataSource, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DataAccessException(e);
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
