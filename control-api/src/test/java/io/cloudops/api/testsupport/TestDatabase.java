package io.cloudops.api.testsupport;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers {@link PostgresTestResource} and {@link DatabaseOpsTestResource} for every
 * {@code @QuarkusTest} of this module (one configuration, so no test restarts the application).
 */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(DatabaseOpsTestResource.class)
public final class TestDatabase {

    private TestDatabase() {
    }
}
