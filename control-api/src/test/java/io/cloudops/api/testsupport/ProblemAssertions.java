package io.cloudops.api.testsupport;

import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * What every API error must look like (PRODUCT.md section 4): an RFC 9457 document with type,
 * title, status and a detail a person can act on, and nothing of the server's insides.
 */
public final class ProblemAssertions {

    /** Stack frames, exception names and Java packages: none of them may reach a client. */
    private static final String[] LEAKS = {
            "Exception", "\tat ", "java.", "jakarta.", "com.fasterxml", "io.cloudops", "io.quarkus", "io.vertx",
            "org.jboss", "org.hibernate"};

    private ProblemAssertions() {
    }

    /** Asserts that {@code response} is a problem document with {@code status}; returns it for more checks. */
    public static ValidatableResponse assertProblem(Response response, int status) {
        String body = response.asString();
        assertThat(body).as("problem body").doesNotContain(LEAKS);
        return response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", not(emptyOrNullString()))
                .body("title", not(emptyOrNullString()))
                .body("status", equalTo(status))
                .body("detail", not(emptyOrNullString()));
    }
}
