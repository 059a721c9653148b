package io.cloudops.api.testsupport;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link PostgresTestResource} for every {@code @QuarkusTest} of this module. */
@QuarkusTestResource(PostgresTestResource.class)
public final class TestDatabase {

    private TestDatabase() {
    }
}
