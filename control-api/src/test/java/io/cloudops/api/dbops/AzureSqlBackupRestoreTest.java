package io.cloudops.api.dbops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.DatabaseOpsTestResource;
import io.cloudops.common.task.ArtifactView;
import io.cloudops.common.task.LogLineView;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.ops.ArtifactStore;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Azure SQL adapter's exact SqlPackage invocations, against a fake SqlPackage that records its
 * arguments and environment (the real one cannot run here): Export to a bacpac, Import into the
 * target, Extract to verify; the service principal's secret reaches the tool through its
 * environment only, never its arguments or the task's logs.
 */
@QuarkusTest
class AzureSqlBackupRestoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path CALLS = DatabaseOpsTestResource.FAKE_SQLPACKAGE_DIR.resolve("calls");
    private static final String CONNECTION = "Server=tcp:fake-sql.database.windows.net,1433;Initial Catalog=%s;"
            + "Authentication=Active Directory Default;Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;";

    @Inject
    TaskQueries queries;

    @Inject
    ArtifactStore store;

    @BeforeEach
    void forgetEarlierCalls() throws IOException {
        if (Files.isDirectory(CALLS)) {
            try (Stream<Path> files = Files.list(CALLS)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void exportAndImportRunSqlPackageWithTheSecretInTheEnvironmentOnly() throws Exception {
        DbOpsApi api = new DbOpsApi(queries);
        UUID backupId = api.submitBackup("azure-sql", DatabaseOpsTestResource.SQL_INSTANCE, null);
        TaskView backup = api.awaitStatus(backupId, TaskStatus.SUCCEEDED, TIMEOUT);

        List<Call> calls = calls();
        assertThat(calls).extracting(c -> c.args().getFirst()).containsExactly("/Version", "/Action:Export");
        List<String> export = calls.get(1).args();
        assertThat(export).hasSize(3);
        assertThat(export.get(1)).isEqualTo("/SourceConnectionString:" + CONNECTION.formatted("appdb"));
        assertThat(export.get(2)).startsWith("/TargetFile:").endsWith("export.bacpac");
        // the stored artifact is the bacpac SqlPackage wrote, checksummed
        ArtifactView artifact = backup.artifacts().getFirst();
        byte[] bacpac = Files.readAllBytes(DatabaseOpsTestResource.FAKE_SQLPACKAGE_DIR.resolve("fake.bacpac"));
        assertThat(artifact.sizeBytes()).isEqualTo(bacpac.length);
        assertThat(artifact.sha256())
                .isEqualTo(ArtifactStore.digest("x", new java.io.ByteArrayInputStream(bacpac)).sha256());
        assertThat(artifact.uri()).endsWith(".bacpac");
        // the work file is gone
        assertThat(Path.of(export.get(2).substring("/TargetFile:".length()))).doesNotExist();

        forgetEarlierCalls();
        UUID restoreId = api.submitRestore("azure-sql", DatabaseOpsTestResource.SQL_INSTANCE, artifact.id(),
                "appdb_restored", null);
        TaskView restore = api.awaitStatus(restoreId, TaskStatus.SUCCEEDED, TIMEOUT);
        calls = calls();
        assertThat(calls).extracting(c -> c.args().getFirst()).containsExactly("/Action:Import", "/Action:Extract");
        assertThat(calls.get(0).args()).element(1).asString().startsWith("/SourceFile:").endsWith("backup.bacpac");
        assertThat(calls.get(0).args()).element(2)
                .isEqualTo("/TargetConnectionString:" + CONNECTION.formatted("appdb_restored"));
        assertThat(calls.get(1).args()).contains("/SourceConnectionString:" + CONNECTION.formatted("appdb_restored"),
                "/p:ExtractAllTableData=False");
        assertThat(restore.logs()).extracting(LogLineView::message)
                .contains("verified [dbo].[Customers]", "verified [dbo].[Orders]");

        for (Call call : calls()) {
            assertThat(call.env()).containsEntry("AZURE_CLIENT_SECRET", DatabaseOpsTestResource.SQL_CLIENT_SECRET)
                    .containsEntry("AZURE_CLIENT_ID", "00000000-0000-0000-0000-0000000000bb")
                    .containsEntry("AZURE_TENANT_ID", "00000000-0000-0000-0000-0000000000aa")
                    // nothing of the control plane's own environment leaks into the tool's
                    .doesNotContainKeys("JAVA_HOME", "MAVEN_OPTS", "PLATFORM_DB_CONN");
        }
        for (Call call : calls) {
            assertThat(call.args()).noneMatch(a -> a.contains(DatabaseOpsTestResource.SQL_CLIENT_SECRET));
        }
        for (UUID id : List.of(backupId, restoreId)) {
            assertThat(api.task(id).logs()).extracting(LogLineView::message)
                    .noneMatch(l -> l.contains(DatabaseOpsTestResource.SQL_CLIENT_SECRET));
        }
        assertThat(export).noneMatch(a -> a.contains(DatabaseOpsTestResource.SQL_CLIENT_SECRET));
    }

    private record Call(List<String> args, Map<String, String> env) {
    }

    private static List<Call> calls() throws IOException {
        try (Stream<Path> files = Files.list(CALLS)) {
            return files.filter(f -> f.toString().endsWith(".args")).sorted().map(f -> {
                try {
                    Path envFile = Path.of(f.toString().replaceFirst("\\.args$", ".env"));
                    Map<String, String> env = new java.util.HashMap<>();
                    for (String line : Files.readAllLines(envFile)) {
                        int eq = line.indexOf('=');
                        if (eq > 0) {
                            env.put(line.substring(0, eq), line.substring(eq + 1));
                        }
                    }
                    return new Call(Files.readAllLines(f), env);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
