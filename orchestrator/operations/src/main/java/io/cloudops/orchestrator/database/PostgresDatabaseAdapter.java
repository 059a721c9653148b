package io.cloudops.orchestrator.database;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.orchestrator.catalog.DatabasesConfig;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.ArtifactStore;
import io.cloudops.orchestrator.ops.OperationsConfig;

/**
 * Azure Database for PostgreSQL (any PostgreSQL server) through the PostgreSQL client tools:
 * {@code pg_dump --format=custom} streamed from the child's stdout into the artifact store, and
 * {@code pg_restore --clean --if-exists --single-transaction} into the target database, so that a
 * failed restore changes nothing and a repeated one gives the same result. The password travels in
 * a private pgpass file (mode 0600, deleted after the run) named by {@code PGPASSFILE}; JDBC is used
 * for what the tools do not do (version check, creating the target, verifying the tables).
 */
@ApplicationScoped
public class PostgresDatabaseAdapter implements DatabaseAdapter {

    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?");
    /** {@code 215; 1259 16386 TABLE public orders owner} in {@code pg_restore --list}. */
    private static final Pattern TOC_TABLE = Pattern
            .compile("^\\d+;\\s+\\d+\\s+\\d+\\s+TABLE\\s+(?!DATA\\s)(\\S+)\\s+(\\S+)\\s");

    private final DbToolsConfig tools;
    private final Path workRoot;

    PostgresDatabaseAdapter(DbToolsConfig tools, OperationsConfig operations) {
        this.tools = tools;
        this.workRoot = WorkFolders.root(operations.dataDir());
    }

    @Override
    public void prepare(StepContext context, DbInstance instance) throws Exception {
        DatabasesConfig.Instance settings = instance.settings();
        int serverMajor;
        try (Connection c = connect(instance, settings.database())) {
            String version;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                version = rs.getString(1);
            }
            serverMajor = major(version);
            context.log("connected to " + settings.host() + ":" + instance.port() + "/" + settings.database()
                    + " (PostgreSQL " + version + ")");
        }
        ToolProcess.Result result = ToolProcess.of(List.of(tools.pgDump(), "--version")).timeout(tools.timeout())
                .run(context);
        String toolVersion = result.outputTail().isEmpty() ? "" : result.outputTail().getFirst();
        int toolMajor = major(toolVersion.replaceFirst("^[^0-9]*", ""));
        context.log("using " + toolVersion);
        if (toolMajor < serverMajor) {
            throw new PermanentTaskException(
                    "pg_dump " + toolMajor + " cannot dump a PostgreSQL " + serverMajor + " server",
                    "Install PostgreSQL client tools " + serverMajor
                            + " or newer and point cloudops.db-tools.pg-dump and pg-restore at them");
        }
        context.progress(100, "PostgreSQL " + serverMajor + " reachable, pg_dump " + toolMajor);
    }

    @Override
    public ArtifactStore.Stored dump(StepContext context, DbInstance instance, ArtifactStore store, String area,
            String key) throws Exception {
        DatabasesConfig.Instance settings = instance.settings();
        try (Credentials credentials = credentials(instance)) {
            ToolProcess dump = tool(List.of(tools.pgDump(), "--format=custom", "--verbose", "--no-password",
                    "--host=" + settings.host(), "--port=" + instance.port(),
                    "--username=" + settings.user().orElse("postgres"), "--dbname=" + settings.database()),
                    instance, credentials);
            context.progress(10, "pg_dump streaming to the artifact store");
            try {
                return dump.streamStdout(context, stdout -> store.write(area, key, stdout),
                        "check the instance's host, user and password in cloudops.databases." + instance.id());
            } catch (RuntimeException | IOException e) {
                store.delete(store.uriOf(area, key)); // never leave a truncated dump behind
                throw e;
            }
        }
    }

    @Override
    public void restore(StepContext context, DbInstance instance, Path archive, String target) throws Exception {
        DatabasesConfig.Instance settings = instance.settings();
        createDatabaseIfMissing(context, instance, target);
        try (Credentials credentials = credentials(instance)) {
            ToolProcess restore = tool(List.of(tools.pgRestore(), "--verbose", "--no-password",
                    "--host=" + settings.host(), "--port=" + instance.port(),
                    "--username=" + settings.user().orElse("postgres"), "--dbname=" + target,
                    "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error",
                    archive.toString()), instance, credentials);
            context.progress(20, "pg_restore into " + target);
            restore.requireSuccess(context, restore.run(context),
                    "nothing was changed: the restore runs in one transaction");
        }
    }

    @Override
    public void verify(StepContext context, DbInstance instance, ArchiveSource archive, String target)
            throws Exception {
        ToolProcess list = ToolProcess.of(List.of(tools.pgRestore(), "--list")).stdin(archive)
                .timeout(tools.timeout());
        List<String[]> tables = list.streamStdout(context, stdout -> {
            List<String[]> found = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    Matcher m = TOC_TABLE.matcher(line);
                    if (m.find()) {
                        found.add(new String[]{m.group(1), m.group(2)});
                    }
                }
            }
            return found;
        }, "the backup's table of contents could not be read");
        try (Connection c = connect(instance, target)) {
            for (String[] table : tables) {
                String name = table[0] + "." + table[1];
                try (Statement s = c.createStatement();
                        ResultSet rs = s
                                .executeQuery("SELECT count(*) FROM " + quote(table[0]) + "." + quote(table[1]))) {
                    rs.next();
                    context.log("verified " + name + ": " + rs.getLong(1) + " rows");
                } catch (SQLException e) {
                    throw new PermanentTaskException("table " + name + " of the backup is missing in " + target
                            + " after the restore: " + e.getMessage(),
                            "Check the restore step's log, then retry the task");
                }
            }
        }
        context.progress(100, tables.size() + " tables verified in " + target);
    }

    private void createDatabaseIfMissing(StepContext context, DbInstance instance, String target)
            throws SQLException {
        try (Connection c = connect(instance, instance.settings().maintenanceDatabase())) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, target);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        context.log("target database " + target + " exists: the backup's objects replace its own");
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + quote(target));
            }
            context.log("created target database " + target);
        }
    }

    private ToolProcess tool(List<String> command, DbInstance instance, Credentials credentials) {
        ToolProcess process = ToolProcess.of(command).timeout(tools.timeout())
                .env("PGSSLMODE", instance.settings().sslmode(), false)
                .env("PGCONNECT_TIMEOUT", "30", false)
                .env("PGAPPNAME", "cloudops", false);
        if (credentials.pgpass != null) {
            process.env("PGPASSFILE", credentials.pgpass.toString(), false);
        }
        instance.settings().password().ifPresent(process::secret);
        return process;
    }

    private Connection connect(DbInstance instance, String database) throws SQLException {
        DatabasesConfig.Instance settings = instance.settings();
        Properties properties = new Properties();
        properties.setProperty("user", settings.user().orElse("postgres"));
        settings.password().ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("sslmode", settings.sslmode());
        properties.setProperty("ApplicationName", "cloudops");
        properties.setProperty("connectTimeout", "30");
        return DriverManager.getConnection(
                "jdbc:postgresql://" + settings.host() + ":" + instance.port() + "/" + database, properties);
    }

    /**
     * A pgpass file for one run: in a fresh private folder, readable by this user only, removed
     * when closed. Fields are escaped as libpq reads them ({@code \\} and {@code :}).
     */
    private Credentials credentials(DbInstance instance) throws IOException {
        if (instance.settings().password().isEmpty()) {
            return new Credentials(null);
        }
        Files.createDirectories(workRoot);
        Path dir = Files.createTempDirectory(workRoot, "pgpass-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve("pgpass");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        DatabasesConfig.Instance s = instance.settings();
        String line = String.join(":", escape(s.host()), Integer.toString(instance.port()), "*",
                escape(s.user().orElse("postgres")), escape(s.password().get())) + "\n";
        Files.writeString(file, line, StandardCharsets.UTF_8);
        return new Credentials(file);
    }

    private static String escape(String field) {
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static int major(String version) {
        Matcher m = VERSION.matcher(version == null ? "" : version.strip());
        return m.lookingAt() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The pgpass file of one tool run, deleted with its folder when closed. */
    private static final class Credentials implements AutoCloseable {
        private final Path pgpass;

        Credentials(Path pgpass) {
            this.pgpass = pgpass;
        }

        @Override
        public void close() throws IOException {
            if (pgpass == null) {
                return;
            }
            try (Stream<Path> files = Files.walk(pgpass.getParent())) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
