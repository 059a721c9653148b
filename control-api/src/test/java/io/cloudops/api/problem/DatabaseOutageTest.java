package io.cloudops.api.problem;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import io.cloudops.orchestrator.engine.Tx;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseOutageTest {

    @Test
    void connectionFailuresAnywhereInTheCauseChainAreOutages() {
        assertThat(DatabaseOutage.isCause(new Tx.DataAccessException(new SQLException("refused", "08001")))).isTrue();
        assertThat(DatabaseOutage.isCause(new RuntimeException(new SQLException("terminating connection", "57P01"))))
                .isTrue();
        assertThat(DatabaseOutage.isCause(
                new Tx.DataAccessException(new SQLException("Acquisition timeout while waiting for new connection"))))
                .isTrue();
        assertThat(DatabaseOutage.isCause(new IllegalStateException(new SQLTransientConnectionException("gone"))))
                .isTrue();
    }

    @Test
    void bugsAndConstraintViolationsAreNot() {
        assertThat(DatabaseOutage.isCause(new NullPointerException())).isFalse();
        assertThat(DatabaseOutage.isCause(new Tx.DataAccessException(new SQLException("duplicate key", "23505"))))
                .isFalse();
    }
}
