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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Where the notifications of {@link NotificationProfile} go: a webhook receiver (the JDK's HTTP
 * server on 127.0.0.1, standing in for a Teams Workflows webhook, a Slack incoming webhook, PagerDuty's
 * Events API and SendGrid's mail send API: it records every post, in the order received, and answers 200,
 * or 202 for PagerDuty and SendGrid, unless a test planned other statuses for a path or for posts saying
 * something) and a real SMTP server (GreenMail). One of each per test JVM, started before the app and
 * pointed at by its configuration.
 */
public class NotificationReceivers implements QuarkusTestResourceLifecycleManager {

    /** A post the webhook receiver got, and the status it answered. */
    public record Post(String path, String query, String idempotencyKey, String contentType, String body,
            String authorization, int status) {
    }

    /** The path of the global Teams webhook; its query string plays the webhook's signature (a secret). */
    public static final String GLOBAL_PATH = "/workflows/global/triggers/manual/paths/invoke";
    public static final String SIGNATURE = "sig=s3cr3t-signature";
    public static final String GLOBAL_RECIPIENT = "ops@example.com";
    /** The global Slack incoming webhook's path (its token is the path, as at hooks.slack.com/services/...). */
    public static final String SLACK_PATH = "/services/T000/B000/slack-secret-token";
    /** PagerDuty's Events API v2 endpoint, and the global routing key. */
    public static final String PAGERDUTY_PATH = "/v2/enqueue";
    public static final String ROUTING_KEY = "R0GLOBAL0123456789abcdef0123wxyz";
    /** SendGrid's mail send path under the base URL. */
    public static final String SENDGRID_PATH = "/v3/mail/send";

    private static volatile HttpServer http;
    private static volatile GreenMail smtp;
    private static final Queue<Post> POSTS = new ConcurrentLinkedQueue<>();
    private static final Map<String, Queue<Integer>> PLANNED = new ConcurrentHashMap<>();
    private static final Map<String, Queue<Integer>> PLANNED_FOR_BODY = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> HELD = new ConcurrentHashMap<>();

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
        return Map.ofEntries(
                Map.entry("cloudops.notify.teams-webhook-url", baseUrl() + GLOBAL_PATH + "?" + SIGNATURE),
                Map.entry("cloudops.notify.email-to", GLOBAL_RECIPIENT),
                // listed exactly: the local receiver is trusted over plain http
                Map.entry("cloudops.notify.teams-allowed-hosts", "127.0.0.1,*.webhook.office.com"),
                Map.entry("cloudops.notify.slack-webhook-url", baseUrl() + SLACK_PATH),
                Map.entry("cloudops.notify.slack-allowed-hosts", "127.0.0.1,hooks.slack.com"),
                Map.entry("cloudops.notify.pager-duty.routing-key", ROUTING_KEY),
                Map.entry("cloudops.notify.pager-duty.events-url", baseUrl() + PAGERDUTY_PATH),
                Map.entry("cloudops.notify.pager-duty.allowed-hosts", "127.0.0.1"),
                // SendGrid's base URL only: the key is given by the test that sends through it (the SMTP
                // server stays every other test's email route)
                Map.entry("cloudops.notify.email.send-grid.base-url", baseUrl()),
                Map.entry("cloudops.notify.email.send-grid.allowed-hosts", "127.0.0.1"),
                // control-api's save-time check of a project's Slack webhook: the receiver listed exactly, and a
                // wildcard that matches the cloud metadata address (an IP literal: no DNS needed), which the
                // private-address check must still refuse
                Map.entry("cloudops.slack.allowed-webhook-hosts", "127.0.0.1,hooks.slack.com,*.169.254"),
                Map.entry("cloudops.notify.email.smtp-host", "127.0.0.1"),
                Map.entry("quarkus.mailer.host", "127.0.0.1"),
                Map.entry("quarkus.mailer.port", String.valueOf(smtp.getSmtp().getPort())),
                Map.entry("quarkus.mailer.start-tls", "DISABLED"),
                Map.entry("quarkus.mailer.from", "cloudops@example.com"));
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

    /**
     * The next posts whose body contains {@code marker} (to any path) are answered with these statuses; such a
     * plan comes before one for the path. Lets a test refuse one task's PagerDuty events (by its dedup key)
     * while every other post to the same endpoint is accepted.
     */
    public static void planFor(String marker, Integer... statuses) {
        PLANNED_FOR_BODY.computeIfAbsent(marker, m -> new ConcurrentLinkedQueue<>()).addAll(List.of(statuses));
    }

    /**
     * Posts to {@code path} are recorded as they arrive but answered only once the returned release runs (at most
     * a minute later): a destination that is slow to answer.
     */
    public static Runnable hold(String path) {
        CountDownLatch release = new CountDownLatch(1);
        HELD.put(path, release);
        return () -> {
            HELD.remove(path, release);
            release.countDown();
        };
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
        Integer status = null;
        for (Map.Entry<String, Queue<Integer>> planned : PLANNED_FOR_BODY.entrySet()) {
            if (status == null && body.contains(planned.getKey())) {
                status = planned.getValue().poll();
            }
        }
        Queue<Integer> planned = PLANNED.get(path);
        if (status == null && planned != null) {
            status = planned.poll();
        }
        // PagerDuty and SendGrid accept with 202, as they document; webhooks with 200
        int accepted = path.equals(PAGERDUTY_PATH) || path.equals(SENDGRID_PATH) ? 202 : 200;
        int answered = status == null ? accepted : status;
        POSTS.add(new Post(path, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body,
                exchange.getRequestHeaders().getFirst("Authorization"), answered));
        CountDownLatch held = HELD.get(path);
        if (held != null) {
            try {
                held.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answered, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }
}
