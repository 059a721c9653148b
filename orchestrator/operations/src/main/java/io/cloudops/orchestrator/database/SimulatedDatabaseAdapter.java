package io.cloudops.orchestrator.database;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.dbops.DbEngine;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.ArtifactStore;
import io.cloudops.orchestrator.ops.Simulation;

/**
 * Demo mode's database: realistic, scaled timings and tool-like log lines, and real backup files
 * with plausible content (a plain-SQL dump for PostgreSQL, a bacpac-shaped zip with a
 * {@code model.xml} for Azure SQL) so that a restore verifies a real checksum and reads real table
 * names. The content is generated from the task id, so a retried dump writes the same bytes.
 */
@ApplicationScoped
public class SimulatedDatabaseAdapter implements DatabaseAdapter {

    /** The demo schema: table and rows per backup. */
    static final List<String> TABLES = List.of("customers", "orders", "order_lines", "invoices");
    private static final int ROWS_PER_TABLE = 400;

    private final Simulation simulation;

    SimulatedDatabaseAdapter(Simulation simulation) {
        this.simulation = simulation;
    }

    @Override
    public void prepare(StepContext context, DbInstance instance) throws Exception {
        context.log("connecting to " + host(instance) + " (simulated)");
        simulation.work(context, Duration.ofSeconds(2), "connecting");
        context.log(instance.engine() == DbEngine.AZURE_POSTGRES
                ? "server: PostgreSQL 16.4 (simulated), database app, 4 tables, 38 MB"
                : "server: Microsoft SQL Azure 12.0.2000.8 (simulated), database app, 4 tables, 41 MB");
        context.progress(100, "instance reachable");
    }

    @Override
    public ArtifactStore.Stored dump(StepContext context, DbInstance instance, ArtifactStore store, String area,
            String key) throws Exception {
        String tool = instance.engine() == DbEngine.AZURE_POSTGRES ? "pg_dump" : "SqlPackage";
        context.log(tool + ": reading the schema of " + instance.id());
        for (int i = 0; i < TABLES.size(); i++) {
            simulation.work(context, Duration.ofSeconds(3), "dumping " + TABLES.get(i));
            context.log(instance.engine() == DbEngine.AZURE_POSTGRES
                    ? "pg_dump: dumping contents of table \"public." + TABLES.get(i) + "\""
                    : "SqlPackage: Extracting data from table [dbo].[" + TABLES.get(i) + "]");
            context.progress(10 + 80 * (i + 1) / TABLES.size(), "dumped " + TABLES.get(i));
        }
        byte[] content = instance.engine() == DbEngine.AZURE_POSTGRES
                ? plainSqlDump(instance, context)
                : bacpac(instance, context);
        return store.write(area, key, new ByteArrayInputStream(content));
    }

    @Override
    public void restore(StepContext context, DbInstance instance, Path archive, String target) throws Exception {
        Set<String> tables;
        try (InputStream in = Files.newInputStream(archive)) {
            tables = tables(instance.engine(), in);
        }
        context.log((instance.engine() == DbEngine.AZURE_POSTGRES ? "pg_restore" : "SqlPackage")
                + ": restoring " + tables.size() + " tables into " + target + " on " + host(instance)
                + " (simulated)");
        int i = 0;
        for (String table : tables) {
            simulation.work(context, Duration.ofSeconds(3), "restoring " + table);
            context.log("restored " + table);
            context.progress(10 + 85 * ++i / Math.max(1, tables.size()), "restored " + table);
        }
    }

    @Override
    public void verify(StepContext context, DbInstance instance, ArchiveSource archive, String target)
            throws Exception {
        Set<String> tables;
        try (InputStream in = archive.open()) {
            tables = tables(instance.engine(), in);
        }
        simulation.work(context, Duration.ofSeconds(2), "comparing tables");
        for (String table : tables) {
            context.log("verified " + table + " in " + target + ": " + ROWS_PER_TABLE + " rows");
        }
        context.progress(100, tables.size() + " tables verified in " + target);
    }

    /** Table names in a simulated backup (the same reading a real verification does). */
    static Set<String> tables(DbEngine engine, InputStream archive) throws IOException {
        if (engine == DbEngine.AZURE_SQL) {
            return BacpacModel.tables(archive);
        }
        Set<String> tables = new TreeSet<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(archive, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("CREATE TABLE ")) {
                tables.add(line.substring("CREATE TABLE ".length()).replace(" (", "").strip());
            }
        }
        return tables;
    }

    private static String host(DbInstance instance) {
        return instance.id() + (instance.engine() == DbEngine.AZURE_POSTGRES
                ? ".postgres.database.azure.com"
                : ".database.windows.net");
    }

    private static byte[] plainSqlDump(DbInstance instance, StepContext context) {
        Random random = new Random(context.taskId().getMostSignificantBits());
        StringBuilder sql = new StringBuilder();
        sql.append("--\n-- PostgreSQL database dump of ").append(instance.id())
                .append(" (simulated by CloudOps demo mode: plain SQL, not pg_dump's custom format)\n--\n\n")
                .append("SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\n");
        for (String table : TABLES) {
            sql.append("CREATE TABLE public.").append(table).append(" (\n")
                    .append("    id bigint NOT NULL,\n    reference text NOT NULL,\n    amount numeric(12,2),\n")
                    .append("    created_on date NOT NULL\n);\n\n")
                    .append("COPY public.").append(table).append(" (id, reference, amount, created_on) FROM stdin;\n");
            for (int row = 1; row <= ROWS_PER_TABLE; row++) {
                sql.append(row).append('\t').append(table, 0, 3).append('-').append(100000 + random.nextInt(900000))
                        .append('\t').append(random.nextInt(100000) / 100.0).append('\t')
                        .append(LocalDate.of(2025, 1, 1).plusDays(random.nextInt(365))).append('\n');
            }
            sql.append("\\.\n\n");
        }
        sql.append("--\n-- PostgreSQL database dump complete\n--\n");
        return sql.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bacpac(DbInstance instance, StepContext context) throws IOException {
        Random random = new Random(context.taskId().getMostSignificantBits());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(fixedTime(new ZipEntry("Origin.xml")));
            zip.write(
                    ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<DacOrigin><PackageProperties><Version>3.1.0.0</Version>"
                            + "<ContainsExportedData>true</ContainsExportedData></PackageProperties><Server>"
                            + host(instance)
                            + "</Server><Comment>simulated by CloudOps demo mode</Comment></DacOrigin>\n")
                            .getBytes(StandardCharsets.UTF_8));
            StringBuilder model = new StringBuilder(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<DataSchemaModel FileFormatVersion=\"1.2\" SchemaVersion=\"2.9\">\n<Model>\n");
            for (String table : TABLES) {
                model.append("<Element Type=\"SqlTable\" Name=\"[dbo].[").append(table).append("]\">")
                        .append("<Relationship Name=\"Columns\"/></Element>\n");
            }
            model.append("</Model>\n</DataSchemaModel>\n");
            zip.putNextEntry(fixedTime(new ZipEntry("model.xml")));
            zip.write(model.toString().getBytes(StandardCharsets.UTF_8));
            for (String table : TABLES) {
                zip.putNextEntry(fixedTime(new ZipEntry("Data/dbo." + table + "/TableData-000-00000.BCP")));
                byte[] rows = new byte[ROWS_PER_TABLE * 32];
                random.nextBytes(rows);
                zip.write(rows);
            }
        }
        return bytes.toByteArray();
    }

    private static ZipEntry fixedTime(ZipEntry entry) {
        entry.setTime(0);
        return entry;
    }
}
