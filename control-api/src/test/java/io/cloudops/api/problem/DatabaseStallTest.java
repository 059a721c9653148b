package io.cloudops.api.problem;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.StalledDatabaseProfile;
import io.cloudops.api.testsupport.StalledDatabaseResource;
import io.cloudops.orchestrator.engine.DatabaseTimeouts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.cloudops.api.testsupport.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A database that stops answering (every byte held by the proxy of {@link StalledDatabaseProfile},
 * connections left open) makes API calls fail fast with a 503 problem and Retry-After, within the
 * bound the configured timeouts give, never hang them; once it answers again the same calls work.
 */
@QuarkusTest
@TestProfile(StalledDatabaseProfile.class)
class DatabaseStallTest {

    /** Scheduling and response writing on a busy machine, on top of the configured waits. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    @Inject
    DatabaseTimeouts timeouts;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String datasourceUrl;

    @AfterEach
    void resume() {
        StalledDatabaseResource.proxy().resume();
    }

    @Test
    void apiCallsOnAStalledDatabaseFailFastWith503AndWorkAgainOnceItAnswers() {
        assertThat(datasourceUrl).as("the application goes through the proxy")
                .contains(":" + StalledDatabaseResource.proxy().port() + "/");
        String entity = "stall-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(30)).until(() -> list().statusCode() == 200);

        StalledDatabaseResource.proxy().stall();
        Duration bound = timeouts.worstCaseWait().plus(SLACK);
        for (int call = 0; call < 2; call++) { // a pooled connection, then whatever the pool has left
            assertUnavailableWithin(bound, this::list);
            assertUnavailableWithin(bound, () -> diagnostic(entity));
        }

        StalledDatabaseResource.proxy().resume();
        await().atMost(bound.multipliedBy(2)).until(() -> list().statusCode() == 200);
        await().atMost(bound.multipliedBy(2)).until(() -> diagnostic(entity).statusCode() == 202);
    }

    private static void assertUnavailableWithin(Duration bound, java.util.function.Supplier<Response> call) {
        long start = System.nanoTime();
        Response response = call.get();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertProblem(response, 503).body("type", equalTo(ProblemTypes.UNAVAILABLE));
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(elapsed).as("answered within the configured timeouts (%s)", bound).isLessThan(bound);
    }

    private Response list() {
        return given().get("/api/tasks");
    }

    private Response diagnostic(String entity) {
        return given().contentType(ContentType.JSON)
                .body("{\"entityId\":\"" + entity + "\",\"steps\":1,\"stepMillis\":0,\"fail\":\"never\"}")
                .post("/api/tasks/diagnostic");
    }
}
