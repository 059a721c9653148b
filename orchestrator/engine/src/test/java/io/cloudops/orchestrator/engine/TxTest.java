package io.cloudops.orchestrator.engine;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.cloudops.orchestrator.client.TaskErrors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@link Tx} reports a COMMIT that failed: unknown outcome when the connection broke, a plain failure otherwise. */
class TxTest {

    private final List<String> calls = new ArrayList<>();

    @Test
    void aConnectionLostDuringCommitIsAnUnknownOutcomeNotAPlainFailure() {
        DataSource dataSource = failingCommit(
                new SQLException("An I/O error occurred while sending to the backend", "08006"));

        assertThatThrownBy(() -> Tx.run(dataSource, c -> "written"))
                .isInstanceOf(TaskErrors.CommitOutcomeUnknown.class)
                .hasCauseInstanceOf(SQLException.class);
        assertThat(calls).contains("commit", "rollback", "close");
    }

    @Test
    void aCommitTheServerRefusedIsAPlainFailure() {
        DataSource dataSource = failingCommit(new SQLException("could not serialize access", "40001"));

        assertThatThrownBy(() -> Tx.run(dataSource, c -> "written"))
                .isInstanceOf(Tx.DataAccessException.class)
                .isNotInstanceOf(TaskErrors.CommitOutcomeUnknown.class)
                .satisfies(e -> assertThat(((Tx.DataAccessException) e).sqlState()).isEqualTo("40001"));
    }

    @Test
    void aBrokenConnectionThatCannotRestoreAutoCommitDoesNotHideTheFailure() {
        DataSource dataSource = failingCommit(new SQLException("connection reset", "08006"), true);

        assertThatThrownBy(() -> Tx.run(dataSource, c -> "written"))
                .isInstanceOf(TaskErrors.CommitOutcomeUnknown.class);
    }

    @Test
    void noConnectionFromThePoolIsATransientConnectionFailureWhateverTheDriverSaid() {
        // what pgjdbc reports when the pool interrupts a connection attempt that hangs in its login
        DataSource dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
                    throw new SQLException("Something unusual has occurred to cause the driver to fail", "XX000",
                            new RuntimeException("Interrupted while attempting to connect."));
                });

        assertThatThrownBy(() -> Tx.run(dataSource, c -> "written"))
                .isInstanceOf(Tx.DataAccessException.class)
                .hasCauseInstanceOf(java.sql.SQLTransientConnectionException.class);
    }

    private DataSource failingCommit(SQLException failure) {
        return failingCommit(failure, false);
    }

    /** A data source whose connections fail at COMMIT (and, if {@code brokenAfter}, at every call after it). */
    private DataSource failingCommit(SQLException failure, boolean brokenAfter) {
        boolean[] committed = {false};
        Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    switch (method.getName()) {
                        case "commit" -> {
                            committed[0] = true;
                            throw failure;
                        }
                        case "close" -> {
                            return null;
                        }
                        case "isClosed" -> {
                            return false;
                        }
                        default -> {
                            if (brokenAfter && committed[0]) {
                                throw new SQLException("This connection has been closed.", "08003");
                            }
                            return method.getReturnType() == boolean.class ? false : null;
                        }
                    }
                });
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return connection;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
