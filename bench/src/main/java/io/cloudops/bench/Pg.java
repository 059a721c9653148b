package io.cloudops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL server both sides of the benchmark share: JDBC URLs of its databases, their creation, and the
 * figures read from the server itself (commits per database, WAL position, CPU time of its processes).
 */
final class Pg {

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]*)(\\?.*)?");

    final String host;
    final int port;
    final String query;

    Pg(String jdbcUrl) {
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("BENCH_PG is not a jdbc:postgresql://host:port/db?user=.. URL: " + jdbcUrl);
        }
        host = m.group(1);
        port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        query = m.group(4) == null ? "" : m.group(4);
    }

    String url(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + query;
    }

    String param(String name) {
        Matcher m = Pattern.compile("[?&]" + name + "=([^&]*)").matcher(query);
        return m.find() ? m.group(1) : null;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database));
    }

    /** Drops (if there) and creates a database for one side of the benchmark. */
    void recreate(String database) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
    }

    void drop(String database) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    Map<String, String> settings() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            for (String name : new String[] {"server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_level",
                    "shared_buffers", "max_connections"}) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    out.put(name, rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * A snapshot of the server. Commits are per database (pg_stat_database, flushed by a backend at the latest when it
     * disconnects, so a window is closed after the measured process's connections are gone); WAL is server-wide
     * (pg_current_wal_lsn), so commits of other databases in the same window are kept as a noise indicator.
     */
    record Snapshot(long nanos, long commits, long otherCommits, long walLsn, Map<Integer, Long> pgCpuTicks) {
    }

    Snapshot snapshot(String database) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            long commits = 0;
            long other = 0;
            try (ResultSet rs = s.executeQuery("SELECT datname, xact_commit FROM pg_stat_database WHERE datname IS NOT NULL")) {
                while (rs.next()) {
                    if (rs.getString(1).equals(database)) {
                        commits = rs.getLong(2);
                    } else if (!rs.getString(1).equals("postgres")) {
                        other += rs.getLong(2);
                    }
                }
            }
            long lsn;
            try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
                rs.next();
                lsn = rs.getLong(1);
            }
            // the processes that serve this database plus the server's own (WAL writer, checkpointer, ...)
            Map<Integer, Long> cpu = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = '" + database
                    + "' OR (datname IS NULL AND backend_type <> 'client backend')")) {
                while (rs.next()) {
                    int pid = rs.getInt(1);
                    cpu.put(pid, cpuTicks(pid));
                }
            }
            return new Snapshot(System.nanoTime(), commits, other, lsn, cpu);
        }
    }

    /** utime + stime of a process in clock ticks (1/100 s), 0 if it is gone. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            // gone
        }
        return -1;
    }

    /**
     * The cost of a measured window: wall time, commits and WAL of the database per task, CPU of the database's
     * processes against the measured JVM's. {@code end} is taken while the measured process is still connected,
     * {@code after} once it has disconnected (so that its backends flushed their counts). {@code ownQueries} are the harness's own polls of that database, taken off
     * the commits.
     */
    static Map<String, Object> cost(Snapshot before, Snapshot end, Snapshot after, long tasks, long ownQueries, long jvmTicks) {
        Map<String, Object> out = new LinkedHashMap<>();
        long commits = after.commits - before.commits - ownQueries;
        out.put("commits", commits);
        out.put("commitsPerTask", round(commits / (double) tasks, 2));
        long wal = after.walLsn - before.walLsn;
        out.put("walBytes", wal);
        out.put("walBytesPerTask", Math.round(wal / (double) tasks));
        out.put("otherDatabasesCommits", after.otherCommits - before.otherCommits);
        long pg = 0;
        // CPU from a snapshot taken while the measured process was still connected (its backends exit with it)
        for (Map.Entry<Integer, Long> e : end.pgCpuTicks.entrySet()) {
            pg += e.getValue() - before.pgCpuTicks.getOrDefault(e.getKey(), 0L);
        }
        out.put("postgresCpuSeconds", round(pg / 100.0, 2));
        if (jvmTicks >= 0) {
            out.put("jvmCpuSeconds", round(jvmTicks / 100.0, 2));
            out.put("postgresCpuShare", pg + jvmTicks == 0 ? 0 : round(pg / (double) (pg + jvmTicks), 2));
        }
        return out;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
