package io.cloudops.orchestrator.notification;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.vertx.core.Vertx;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook post connects to the address the outbound check resolved and approved, never to a second
 * lookup's answer (DNS rebinding): the receiver's name here exists only in the test's resolver, so a post
 * that arrives went to the checked address. Also: the Host header and the path with its query are the
 * URL's, redirects are not followed, and a receiver that never answers is given up on in bounded time.
 */
class WebhookPostTest {

    record Received(String path, String host, String key, String body) {
    }

    private static final String HOST = "hooks.rebind.test";
    private static final ConcurrentLinkedQueue<Received> RECEIVED = new ConcurrentLinkedQueue<>();
    private static final CountDownLatch NEVER = new CountDownLatch(1);
    private static HttpServer server;
    private static Vertx vertx;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().toString();
            RECEIVED.add(new Received(path, exchange.getRequestHeaders().getFirst("Host"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    new String(body, StandardCharsets.UTF_8)));
            if (path.startsWith("/silent")) {
                try {
                    NEVER.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (path.startsWith("/moved")) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        NEVER.countDown();
        server.stop(0);
        vertx.close();
    }

    private static WebhookPost post(List<String> allowed, OutboundPolicy.Resolver resolver) {
        NotifyConfig config = TestNotifyConfig.of(Map.of("teamsAllowedHosts", allowed, "slackAllowedHosts", allowed));
        OutboundPolicy policy = new OutboundPolicy(config);
        policy.resolveWith(resolver);
        return new WebhookPost(config, policy, new ObjectMapper(), vertx);
    }

    private static String url(String pathAndQuery) {
        return "http://" + HOST + ":" + server.getAddress().getPort() + pathAndQuery;
    }

    @Test
    void thePostGoesToTheAddressTheCheckResolvedWithTheUrlsHostPathAndQuery() {
        AtomicInteger lookups = new AtomicInteger();
        WebhookPost post = post(List.of(HOST), host -> {
            lookups.incrementAndGet();
            return new InetAddress[]{InetAddress.getLoopbackAddress()};
        });
        Delivery delivery = post.post(RouteKind.TEAMS, url("/workflows/abc?sig=s3cret"), "key-1",
                new ObjectMapper().createObjectNode().put("type", "message"), true);
        assertThat(delivery.delivered()).as(String.valueOf(delivery)).isTrue();
        assertThat(lookups).as("one lookup: the check's").hasValue(1);
        assertThat(RECEIVED).anySatisfy(r -> {
            assertThat(r.path()).isEqualTo("/workflows/abc?sig=s3cret");
            assertThat(r.host()).isEqualTo(HOST + ":" + server.getAddress().getPort());
            assertThat(r.key()).isEqualTo("key-1");
            assertThat(r.body()).isEqualTo("{\"type\":\"message\"}");
        });
    }

    @Test
    void aNameThatResolvesToAnyPrivateAddressIsRefusedUnlessListedExactly() throws Exception {
        InetAddress[] rebound = {InetAddress.getByName("203.0.113.10"), InetAddress.getLoopbackAddress()};
        WebhookPost wildcard = post(List.of("*.rebind.test"), host -> rebound);
        Delivery refused = wildcard.post(RouteKind.SLACK, "https://" + HOST + "/hook", "key-2",
                new ObjectMapper().createObjectNode(), false);
        assertThat(refused.delivered()).isFalse();
        assertThat(refused.permanent()).isTrue();
        assertThat(refused.error()).contains("resolves to a private address (127.0.0.1)");
        assertThat(RECEIVED).noneMatch(r -> "key-2".equals(r.key()));
    }

    @Test
    void aNameThatDoesNotResolveIsTriedAgainLater() {
        WebhookPost post = post(List.of(HOST), host -> {
            throw new java.net.UnknownHostException(host);
        });
        Delivery delivery = post.post(RouteKind.TEAMS, url("/hook"), "key-3", new ObjectMapper().createObjectNode(),
                true);
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.permanent()).isFalse();
        assertThat(delivery.error()).contains("does not resolve");
    }

    @Test
    void aRedirectIsNotFollowed() {
        WebhookPost post = post(List.of(HOST), host -> new InetAddress[]{InetAddress.getLoopbackAddress()});
        Delivery delivery = post.post(RouteKind.SLACK, url("/moved"), "key-4", new ObjectMapper().createObjectNode(),
                false);
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.httpStatus()).isEqualTo(302);
        assertThat(RECEIVED).noneMatch(r -> r.path().startsWith("/elsewhere"));
    }

    @Test
    void aReceiverThatNeverAnswersIsGivenUpOn() {
        WebhookPost post = post(List.of(HOST), host -> new InetAddress[]{InetAddress.getLoopbackAddress()});
        Delivery delivery = post.post(RouteKind.TEAMS, url("/silent"), "key-5", new ObjectMapper().createObjectNode(),
                true);
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.permanent()).isFalse();
        assertThat(delivery.httpStatus()).isNull();
        assertThat(delivery.error()).isNotBlank();
    }
}
