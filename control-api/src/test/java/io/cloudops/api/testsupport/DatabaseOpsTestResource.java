package io.cloudops.api.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The database instances the real-adapter tests back up and restore, configured like an operator
 * would: {@value #PG_INSTANCE}, a database on the test PostgreSQL server (real {@code pg_dump} and
 * {@code pg_restore}), and {@value #SQL_INSTANCE}, an Azure SQL instance whose {@code SqlPackage} is
 * a fake script that records its arguments and environment (SqlPackage cannot run here). Every other
 * instance stays simulated.
 */
public class DatabaseOpsTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String PG_INSTANCE = "pg-real";
    public static final String SQL_INSTANCE = "sql-fake";
    /** Never needed by the test server (trust authentication), so it only proves where secrets go. */
    public static final String PG_PASSWORD = "pg-secret-" + UUID.randomUUID();
    public static final String SQL_CLIENT_SECRET = "sql-secret-" + UUID.randomUUID();
    public static final Path FAKE_SQLPACKAGE_DIR = Path.of("target", "fake-sqlpackage").toAbsolutePath();
    /** Tables of the fake bacpac (and of the fake target's extracted schema). */
    public static final List<String> FAKE_TABLES = List.of("[dbo].[Customers]", "[dbo].[Orders]");

    @Override
    public Map<String, String> start() {
        PostgresTestResource.Server server = PostgresTestResource.server();
        Map<String, String> config = new LinkedHashMap<>();
        String pg = "cloudops.databases." + PG_INSTANCE + ".";
        config.put(pg + "engine", "azure-postgres");
        config.put(pg + "host", server.host());
        config.put(pg + "port", Integer.toString(server.port()));
        config.put(pg + "database", "cloudops_dbops_" + UUID.randomUUID().toString().substring(0, 8));
        config.put(pg + "user", server.user());
        config.put(pg + "password", server.password().orElse(PG_PASSWORD));
        config.put(pg + "sslmode", "disable");
        String sql = "cloudops.databases." + SQL_INSTANCE + ".";
        config.put(sql + "engine", "azure-sql");
        config.put(sql + "host", "fake-sql.database.windows.net");
        config.put(sql + "database", "appdb");
        config.put(sql + "tenant-id", "00000000-0000-0000-0000-0000000000aa");
        config.put(sql + "client-id", "00000000-0000-0000-0000-0000000000bb");
        config.put(sql + "client-secret", SQL_CLIENT_SECRET);
        config.put("cloudops.db-tools.sql-package", writeFakeSqlPackage().toString());
        return config;
    }

    @Override
    public void stop() {
        // files under target/ stay for inspection
    }

    /** The fake: one {@code calls/<n>.args} and {@code calls/<n>.env} per run; plays Export, Import and Extract. */
    static Path writeFakeSqlPackage() {
        try {
            Files.createDirectories(FAKE_SQLPACKAGE_DIR);
            Path script = FAKE_SQLPACKAGE_DIR.resolve("SqlPackage");
            Files.writeString(script, """
                    #!/bin/sh
                    # Fake SqlPackage for tests: records its arguments and environment, then plays the action.
                    dir=$(cd "$(dirname "$0")" && pwd)
                    mkdir -p "$dir/calls"
                    call="$dir/calls/$(date +%s%N)-$$"
                    printf '%s\\n' "$@" > "$call.args"
                    env > "$call.env"
                    action=""
                    target=""
                    for a in "$@"; do
                      case "$a" in
                        /Version) echo "162.5.57.1"; exit 0 ;;
                        /Action:*) action=${a#/Action:} ;;
                        /TargetFile:*) target=${a#/TargetFile:} ;;
                      esac
                    done
                    case "$action" in
                      Export)
                        echo "Connecting to database on server."
                        echo "Exporting data from table [dbo].[Orders]"
                        cp "$dir/fake.bacpac" "$target"
                        echo "Successfully exported database and saved it to file '$target'." ;;
                      Import)
                        echo "Importing to database."
                        echo "Successfully imported database." ;;
                      Extract)
                        cp "$dir/fake.dacpac" "$target"
                        echo "Successfully extracted database and saved it to file '$target'." ;;
                      *)
                        echo "*** '$action' is not a valid action" >&2
                        exit 1 ;;
                    esac
                    """, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            writePackage(FAKE_SQLPACKAGE_DIR.resolve("fake.bacpac"), true);
            writePackage(FAKE_SQLPACKAGE_DIR.resolve("fake.dacpac"), false);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writePackage(Path file, boolean withData) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            StringBuilder model = new StringBuilder(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<DataSchemaModel><Model>\n");
            FAKE_TABLES.forEach(t -> model.append("<Element Type=\"SqlTable\" Name=\"").append(t).append("\"/>\n"));
            model.append("</Model></DataSchemaModel>\n");
            zip.putNextEntry(new ZipEntry("model.xml"));
            zip.write(model.toString().getBytes(StandardCharsets.UTF_8));
            if (withData) {
                zip.putNextEntry(new ZipEntry("Data/dbo.Orders/TableData-000-00000.BCP"));
                zip.write("fake rows".getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
