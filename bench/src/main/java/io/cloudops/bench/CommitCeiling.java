package io.cloudops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine's single-row commit ceiling, in a database of its own on the benchmark's server: pgbench. */
final class CommitCeiling {

    private CommitCeiling() {
    }

    /** The machine's single-row commit ceiling: pgbench, 8 clients, one INSERT of one row per transaction. */
    static Map<String, Object> measure(Pg pg, Path out, int pgbenchSeconds) throws Exception {
        String db = "bench_pgbench";
        pg.recreate(db);
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE one_row (id BIGSERIAL PRIMARY KEY, v INTEGER NOT NULL)");
        }
        Path script = out.resolve("one-row-insert.sql");
        Files.writeString(script, "\\set v random(1, 1000000)\nINSERT INTO one_row (v) VALUES (:v);\n");
        List<String> cmd = new ArrayList<>(List.of(pgbenchBinary(), "-n", "-c", "8", "-j", "2", "-T", Integer.toString(pgbenchSeconds),
                "-f", script.toString(), "-h", pg.host, "-p", Integer.toString(pg.port)));
        if (pg.param("user") != null) {
            cmd.addAll(List.of("-U", pg.param("user")));
        }
        cmd.add(db);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (pg.param("password") != null) {
            pb.environment().put("PGPASSWORD", pg.param("password"));
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed: " + output);
        }
        Matcher m = Pattern.compile("tps = ([\\d.]+) \\(without initial connection time\\)").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no tps in pgbench's output: " + output);
        }
        pg.drop(db);
        double tps = Double.parseDouble(m.group(1));
        System.out.printf("pgbench (8 clients, one-row INSERT, %d s): %.0f commits/s%n", pgbenchSeconds, tps);
        return Map.of("clients", 8, "seconds", pgbenchSeconds, "commitsPerSecond", Math.round(tps));
    }

    static String pgbenchBinary() throws Exception {
        for (String candidate : new String[] {"/usr/bin/pgbench"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        try (var dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
            return dirs.map(d -> d.resolve("bin/pgbench")).filter(Files::isExecutable).map(Path::toString).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("pgbench not found (Debian: apt-get install postgresql-contrib)"));
        }
    }}
