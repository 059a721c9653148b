package io.cloudops.orchestrator.database;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.orchestrator.catalog.DatabasesConfig;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.ArtifactStore;
import io.cloudops.orchestrator.ops.OperationsConfig;

/**
 * Azure SQL Database through {@code SqlPackage}: {@code /Action:Export} to a bacpac (written to a
 * work file, which SqlPackage needs, then streamed into the artifact store) and
 * {@code /Action:Import} into the target database. Authentication: the connection string names an
 * Entra ID mode ({@code Authentication=Active Directory Default} by default) and carries no secret;
 * the service principal's credentials reach SqlPackage as {@code AZURE_TENANT_ID},
 * {@code AZURE_CLIENT_ID} and {@code AZURE_CLIENT_SECRET} in its environment only (with workload or
 * managed identity, none are needed). A restore is verified by extracting the target's schema
 * ({@code /Action:Extract}, no data) and comparing its tables with the bacpac's.
 */
@ApplicationScoped
public class AzureSqlDatabaseAdapter implements DatabaseAdapter {

    private final DbToolsConfig tools;
    private final Path workRoot;

    AzureSqlDatabaseAdapter(DbToolsConfig tools, OperationsConfig operations) {
        this.tools = tools;
        this.workRoot = WorkFolders.root(operations.dataDir());
    }

    @Override
    public void prepare(StepContext context, DbInstance instance) throws Exception {
        DatabasesConfig.Instance settings = instance.settings();
        ToolProcess version = tool(List.of(tools.sqlPackage(), "/Version"), instance);
        ToolProcess.Result result = version.run(context);
        version.requireSuccess(context, result, "SqlPackage must be installed on the orchestrator's machine");
        context.log("Azure SQL " + settings.host() + "/" + settings.database() + ", authentication "
                + settings.authentication()
                + (settings.clientSecret().isPresent() ? " (service principal from the environment)" : ""));
        context.progress(100, "SqlPackage ready");
    }

    @Override
    public ArtifactStore.Stored dump(StepContext context, DbInstance instance, ArtifactStore store, String area,
            String key) throws Exception {
        Path work = workDir(context);
        Path bacpac = work.resolve("export.bacpac");
        try {
            Files.deleteIfExists(bacpac);
            ToolProcess export = tool(List.of(tools.sqlPackage(), "/Action:Export",
                    "/SourceConnectionString:" + connectionString(instance, instance.settings().database()),
                    "/TargetFile:" + bacpac), instance);
            context.progress(10, "SqlPackage export of " + instance.settings().database());
            export.requireSuccess(context, export.run(context), "check the server, database and identity");
            if (!Files.isRegularFile(bacpac)) {
                throw new IllegalStateException("SqlPackage reported success but wrote no bacpac");
            }
            context.progress(80, "uploading the bacpac");
            try (InputStream in = Files.newInputStream(bacpac)) {
                return store.write(area, key, in);
            }
        } finally {
            WorkFolders.deleteRecursively(work);
        }
    }

    @Override
    public void restore(StepContext context, DbInstance instance, Path archive, String target) throws Exception {
        ToolProcess importer = tool(List.of(tools.sqlPackage(), "/Action:Import",
                "/SourceFile:" + archive, "/TargetConnectionString:" + connectionString(instance, target)), instance);
        context.progress(20, "SqlPackage import into " + target);
        importer.requireSuccess(context, importer.run(context),
                "an import needs a new or empty target database: drop a half-imported one before retrying");
    }

    @Override
    public void verify(StepContext context, DbInstance instance, ArchiveSource archive, String target)
            throws Exception {
        Set<String> expected;
        try (InputStream in = archive.open()) {
            expected = BacpacModel.tables(in);
        }
        Path work = workDir(context);
        try {
            Path dacpac = work.resolve("verify.dacpac");
            ToolProcess extract = tool(List.of(tools.sqlPackage(), "/Action:Extract",
                    "/SourceConnectionString:" + connectionString(instance, target), "/TargetFile:" + dacpac,
                    "/p:ExtractAllTableData=False"), instance);
            extract.requireSuccess(context, extract.run(context), "the target's schema could not be read");
            Set<String> actual;
            try (InputStream in = Files.newInputStream(dacpac)) {
                actual = BacpacModel.tables(in);
            }
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(actual);
            if (!missing.isEmpty()) {
                throw new PermanentTaskException("tables of the backup missing in " + target + ": " + missing,
                        "Check the restore step's log, drop the target and retry the task");
            }
            expected.forEach(table -> context.log("verified " + table));
            context.progress(100, expected.size() + " tables verified in " + target);
        } finally {
            WorkFolders.deleteRecursively(work);
        }
    }

    /**
     * The SqlPackage connection string: server, database and an Entra authentication mode; no user
     * name or password, ever (the credential comes from the child's environment).
     */
    String connectionString(DbInstance instance, String database) {
        DatabasesConfig.Instance settings = instance.settings();
        return "Server=tcp:" + settings.host() + "," + instance.port() + ";Initial Catalog=" + database
                + ";Authentication=" + settings.authentication()
                + ";Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;";
    }

    private ToolProcess tool(List<String> command, DbInstance instance) {
        DatabasesConfig.Instance settings = instance.settings();
        ToolProcess process = ToolProcess.of(command).timeout(tools.timeout())
                .env("DOTNET_CLI_TELEMETRY_OPTOUT", "1", false);
        settings.tenantId().ifPresent(v -> process.env("AZURE_TENANT_ID", v, false));
        settings.clientId().ifPresent(v -> process.env("AZURE_CLIENT_ID", v, false));
        settings.clientSecret().ifPresent(v -> process.env("AZURE_CLIENT_SECRET", v, true));
        return process;
    }

    private Path workDir(StepContext context) throws java.io.IOException {
        Path dir = workRoot.resolve(context.taskId() + "-" + context.step());
        Files.createDirectories(dir);
        return dir;
    }
}
