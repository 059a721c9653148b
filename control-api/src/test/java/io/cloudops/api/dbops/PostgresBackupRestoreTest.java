package io.cloudops.api.dbops;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.DatabaseOpsTestResource;
import io.cloudops.api.testsupport.PostgresTestResource;
import io.cloudops.common.task.ArtifactView;
import io.cloudops.common.task.LogLineView;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.catalog.DatabasesConfig;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.ops.LocalArtifactStore;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real PostgreSQL adapter end to end: a database with rows on the test server, backed up through
 * the API with {@code pg_dump}, dropped, restored with {@code pg_restore}, and compared row by row.
 * The tools are the machine's PostgreSQL client ({@code pg_dump} on PATH; zonky's embedded binaries
 * carry only the server), which must be at least as new as the server: 15 against the embedded 14
 * here, or the CI machine's 15 server.
 */
@QuarkusTest
class PostgresBackupRestoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String INSTANCE = DatabaseOpsTestResource.PG_INSTANCE;

    @Inject
    TaskQueries queries;

    @Inject
    DatabasesConfig databases;

    @Inject
    LocalArtifactStore localStore;

    private final PostgresTestResource.Server server = PostgresTestResource.server();

    @AfterEach
    void dropTheDatabases() throws Exception {
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database() + " WITH (FORCE)");
            s.execute("DROP DATABASE IF EXISTS " + database() + "_copy WITH (FORCE)");
        }
    }

    @Test
    void aDatabaseBackedUpDroppedAndRestoredHasTheSameRows() throws Exception {
        assumeTrue(onPath("pg_dump") && onPath("pg_restore"),
                "pg_dump/pg_restore are not installed (Debian: apt-get install postgresql-client); .ci/run installs them");
        String db = database();
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + db);
        }
        try (Connection c = server.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL)");
            s.execute("CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers,"
                    + " amount numeric(10,2), note text)");
            s.execute("INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 50) g");
            s.execute("INSERT INTO orders (customer_id, amount, note) SELECT 1 + g % 50, g * 1.25, "
                    + "CASE WHEN g % 7 = 0 THEN E'tab\\tand ''quote''' END FROM generate_series(1, 2000) g");
        }
        List<String> before = rows(db);

        DbOpsApi api = new DbOpsApi(queries);
        UUID backupId = api.submitBackup("azure-postgres", INSTANCE, null);
        TaskView backup = api.awaitStatus(backupId, TaskStatus.SUCCEEDED, TIMEOUT);
        ArtifactView artifact = backup.artifacts().getFirst();
        assertThat(backup.logs()).extracting(LogLineView::message).anyMatch(l -> l.contains("(real adapter)"))
                .anyMatch(l -> l.startsWith("running pg_dump --format=custom"))
                .anyMatch(l -> l.contains("dumping contents of table \"public.orders\""));
        try (InputStream in = Files.newInputStream(localStore.pathOf(artifact.uri()))) {
            assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).as("custom format magic")
                    .isEqualTo("PGDMP");
        }

        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE " + db + " WITH (FORCE)");
        }
        UUID restoreId = api.submitRestore("azure-postgres", INSTANCE, artifact.id(), db, null);
        TaskView restore = api.awaitStatus(restoreId, TaskStatus.SUCCEEDED, TIMEOUT);
        assertThat(restore.logs()).extracting(LogLineView::message).contains("created target database " + db)
                .contains("verified public.orders: 2000 rows", "verified public.customers: 50 rows");
        assertThat(rows(db)).isEqualTo(before);

        // restoring again over the restored database gives the same rows (pg_restore --clean --if-exists)
        UUID again = api.submitRestore("azure-postgres", INSTANCE, artifact.id(), db, null);
        api.awaitStatus(again, TaskStatus.SUCCEEDED, TIMEOUT);
        assertThat(rows(db)).isEqualTo(before);

        // the password went into a private pgpass file, never into logs or arguments, and is gone
        for (UUID id : List.of(backupId, restoreId, again)) {
            assertThat(api.task(id).logs()).extracting(LogLineView::message)
                    .noneMatch(l -> l.contains(DatabaseOpsTestResource.PG_PASSWORD));
        }
        try (Stream<Path> leftovers = Files.list(Path.of("target", "test-data", "work"))) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("pgpass-"));
        }
    }

    private String database() {
        return databases.instances().get(INSTANCE).database();
    }

    private List<String> rows(String db) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = server.connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 'c', id, name, null, null FROM customers UNION ALL "
                        + "SELECT 'o', id, customer_id::text, amount::text, note FROM orders ORDER BY 1, 2")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                        + rs.getString(5));
            }
        }
        assertThat(rows).hasSize(2050);
        return rows;
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
