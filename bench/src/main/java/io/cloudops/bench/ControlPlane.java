package io.cloudops.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One process of the packaged control plane on the benchmark's database (engine on or off), started and stopped. */
final class ControlPlane implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final Process process;
    final String base;
    final double secondsToReady;

    private ControlPlane(Process process, String base, double secondsToReady) {
        this.process = process;
        this.base = base;
        this.secondsToReady = secondsToReady;
    }

    long pid() {
        return process.pid();
    }

    static ControlPlane start(Path jar, Path work, String dbUrl, int port, boolean engine, int sessions) throws Exception {
        Files.createDirectories(work);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", jar.toString()).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("app.log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("PLATFORM_DB_CONN", dbUrl);
        env.put("PLATFORM_DATA_DIR", work.resolve("data").toString());
        // an external database is "something real": demo mode (no sign-in) must then be asked for explicitly
        env.put("DEMO_MODE", "true");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        // the task rate limit is for users, not for a benchmark that submits thousands of tasks as one
        env.put("RATE_LIMIT_TASKS_PER_MINUTE", "0");
        env.put("ORCHESTRATOR_ENABLED", Boolean.toString(engine));
        env.put("MAX_CONCURRENT_SESSIONS", Integer.toString(sessions));
        long t0 = System.nanoTime();
        Process p = pb.start();
        String base = "http://127.0.0.1:" + port;
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the control plane exited at start; see " + work.resolve("app.log"));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(180)) {
                p.destroyForcibly();
                throw new IllegalStateException("the control plane was not ready in 180 s; see " + work.resolve("app.log"));
            }
            Thread.sleep(50);
        }
        return new ControlPlane(p, base, (System.nanoTime() - t0) / 1e9);
    }

    long rssMiB() {
        return Pg.rssKib(pid()) / 1024;
    }

    /** Heap used after a full GC, in MiB (jcmd of the same JDK). */
    double heapAfterGcMiB() throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid()), "GC.run").redirectErrorStream(true).start().waitFor();
        Process info = new ProcessBuilder(jcmd, Long.toString(pid()), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(info.getInputStream().readAllBytes());
        info.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("heap\\s+total.*?used (\\d+)K").matcher(out);
        return m.find() ? Pg.round(Long.parseLong(m.group(1)) / 1024.0, 1) : -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        // its backends flush their statistics as they exit
        Thread.sleep(300);
    }

    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
        Thread.sleep(300);
    }
}
