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
        assertThat(DatabaseOutage.isCause(new RuntimeException(new SQLException(
                "Something unusual has occurred to cause the driver to fail", "XX000",
                new RuntimeException("Interrupted while attempting to connect."))))).isTrue();
    }

    @Test
    void aStatementCancelledByTheStatementTimeoutIsAnOutage() {
        assertThat(DatabaseOutage.isCause(new Tx.DataAccessException(
                new SQLException("canceling statement due to statement timeout", "57014")))).isTrue();
    }

    @Test
    void aCommitWithUnknownOutcomeTellsTheClientHowToResendSafely() {
        var withKey = ProblemExceptionMappers.commitOutcomeUnknown("order-42", "/api/tasks/diagnostic");
        var withoutKey = ProblemExceptionMappers.commitOutcomeUnknown(null, "/api/tasks/diagnostic");

        for (var response : java.util.List.of(withKey, withoutKey)) {
            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(response.getHeaderString("Retry-After")).isNotBlank();
            var problem = (io.cloudops.common.api.Problem) response.getEntity();
            assertThat(problem.type()).isEqualTo(ProblemTypes.COMMIT_OUTCOME_UNKNOWN);
            assertThat(problem.detail()).contains("may or may not have been accepted");
        }
        assertThat(((io.cloudops.common.api.Problem) withKey.getEntity()).detail())
                .contains("same Idempotency-Key ('order-42')");
        assertThat(((io.cloudops.common.api.Problem) withoutKey.getEntity()).detail())
                .contains("send an Idempotency-Key");
    }

    @Test
    void bugsAndConstraintViolationsAreNot() {
        assertThat(DatabaseOutage.isCause(new NullPointerException())).isFalse();
        assertThat(DatabaseOutage.isCause(new Tx.DataAccessException(new SQLException("duplicate key", "23505"))))
                .isFalse();
    }
}
