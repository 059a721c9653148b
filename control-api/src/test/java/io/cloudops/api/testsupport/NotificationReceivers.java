package io.cloudops.api.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Where the notifications of {@link NotificationProfile} go: a webhook receiver (the JDK's HTTP
 * server on 127.0.0.1, standing in for a Teams Workflows webhook: it records every post and answers
 * 200 unless a test planned other statuses for a path) and a real SMTP server (GreenMail). One of
 * each per test JVM, started before the app and pointed at by its configuration.
 */
public class NotificationReceivers implements QuarkusTestResourceLifecycleManager {

    /** A post the webhook receiver got. */
    public record Post(String path, String query, String idempotencyKey, String contentType, String body) {
    }

    /** The path of the global Teams webhook; its query string plays the webhook's signature (a secret). */
    public static final String GLOBAL_PATH = "/workflows/global/triggers/manual/paths/invoke";
    public static final String SIGNATURE = "sig=s3cr3t-signature";
    public static final String GLOBAL_RECIPIENT = "ops@example.com";

    private static volatile HttpServer http;
    private static volatile GreenMail smtp;
    private static final Queue<Post> POSTS = new ConcurrentLinkedQueue<>();
    private static final Map<String, Queue<Integer>> PLANNED = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the webhook receiver", e);
        }
        http.createContext("/", NotificationReceivers::receive);
        http.setExecutor(Executors.newCachedThreadPool());
        http.start();
        smtp = new GreenMail(new ServerSetup(Ports.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        return Map.of(
                "cloudops.notify.teams-webhook-url", baseUrl() + GLOBAL_PATH + "?" + SIGNATURE,
                "cloudops.notify.email-to", GLOBAL_RECIPIENT,
                // listed exactly: the local receiver is trusted over plain http
                "cloudops.notify.teams-allowed-hosts", "127.0.0.1,*.webhook.office.com",
                "cloudops.notify.email.smtp-host", "127.0.0.1",
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(smtp.getSmtp().getPort()),
                "quarkus.mailer.start-tls", "DISABLED",
                "quarkus.mailer.from", "cloudops@example.com");
    }

    @Override
    public void stop() {
        if (http != null) {
            http.stop(0);
        }
        if (smtp != null) {
            smtp.stop();
        }
        http = null;
        smtp = null;
    }

    /** {@code http://127.0.0.1:port} of the webhook receiver. */
    public static String baseUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Every post received so far. */
    public static List<Post> posts() {
        return List.copyOf(POSTS);
    }

    /** The posts carrying {@code idempotencyKey}. */
    public static List<Post> postsWithKey(String idempotencyKey) {
        return POSTS.stream().filter(p -> idempotencyKey.equals(p.idempotencyKey())).toList();
    }

    /** The next posts to {@code path} are answered with these statuses, then 200. */
    public static void plan(String path, Integer... statuses) {
        PLANNED.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(statuses));
    }

    /** The SMTP server, to read the emails it received. */
    public static GreenMail smtp() {
        return smtp;
    }

    private static void receive(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String path = exchange.getRequestURI().getPath();
        POSTS.add(new Post(path, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        Queue<Integer> planned = PLANNED.get(path);
        Integer status = planned == null ? null : planned.poll();
        byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status == null ? 200 : status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }
}
