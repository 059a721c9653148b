package io.cloudops.orchestrator.notification;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * One JSON post to a webhook (Teams, Slack, PagerDuty): the outbound check of the route's kind first
 * ({@link OutboundPolicy#destination}), then a connection to exactly the address that check resolved
 * and approved, so a name that resolves elsewhere a moment later (DNS rebinding) cannot redirect the
 * post inside the network. The request still names the host (the {@code Host} header, TLS SNI and the
 * certificate's host check), connect and read time are bounded ({@link NotifyConfig}), redirects are
 * never followed, and the notification id goes as {@code Idempotency-Key}.
 * <p>
 * Vert.x's HTTP client rather than a Quarkus REST client: only it connects to a given address while
 * verifying the certificate for the name ({@link RequestOptions#setServer}). Never throws: every
 * outcome, the HTTP status of a refusal included, comes back as a {@link Delivery}.
 */
@ApplicationScoped
class WebhookPost {

    private final NotifyConfig config;
    private final OutboundPolicy policy;
    private final ObjectMapper json;
    private final HttpClient client;

    WebhookPost(NotifyConfig config, OutboundPolicy policy, ObjectMapper json, Vertx vertx) {
        this.config = config;
        this.policy = policy;
        this.json = json;
        this.client = vertx.createHttpClient(new HttpClientOptions().setVerifyHost(true).setKeepAlive(false)
                .setConnectTimeout((int) config.connectTimeout().toMillis()));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Posts {@code body}. {@code retryClientErrors}: whether a 4xx other than 408 and 429 is tried again
     * (Teams answers those for a paused flow); else it is permanent (PagerDuty's 400 "invalid event",
     * Slack's 404 "no_service": the same post would be refused again).
     */
    Delivery post(RouteKind kind, String url, String idempotencyKey, JsonNode body, boolean retryClientErrors) {
        OutboundPolicy.Destination destination = policy.destination(kind, url);
        if (destination.refusal() != null) {
            return destination.retryable()
                    ? Delivery.failed(null, destination.refusal(), Duration.ZERO)
                    : Delivery.refused(destination.refusal());
        }
        long start = System.nanoTime();
        try {
            int status = send(destination, idempotencyKey, json.writeValueAsBytes(body));
            return answered(status, start, retryClientErrors);
        } catch (ExecutionException e) {
            return Delivery.failed(null, describe(e), since(start));
        } catch (TimeoutException e) {
            return Delivery.failed(null, "no answer within " + (config.connectTimeout().plus(config.readTimeout()))
                    .toSeconds() + " s", since(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Delivery.failed(null, "interrupted", since(start));
        } catch (JsonProcessingException | RuntimeException e) {
            return Delivery.failed(null, describe(e), since(start));
        }
    }

    /** {@link #post(RouteKind, String, String, JsonNode, boolean)} with client errors permanent. */
    Delivery post(RouteKind kind, String url, String idempotencyKey, JsonNode body) {
        return post(kind, url, idempotencyKey, body, false);
    }

    private int send(OutboundPolicy.Destination destination, String idempotencyKey, byte[] body)
            throws ExecutionException, TimeoutException, InterruptedException {
        URI uri = destination.uri();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setSsl(https).setHost(uri.getHost())
                .setPort(port).setURI(path)
                .setServer(SocketAddress.inetSocketAddress(port, destination.address().getHostAddress()))
                .setConnectTimeout(config.connectTimeout().toMillis()).setIdleTimeout(config.readTimeout().toMillis())
                .setFollowRedirects(false).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.ACCEPT, "*/*").putHeader("Idempotency-Key", idempotencyKey);
        long bound = config.connectTimeout().plus(config.readTimeout()).plusSeconds(1).toMillis();
        return client.request(request).compose(outgoing -> outgoing.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(ignored -> response.statusCode())).toCompletionStage()
                .toCompletableFuture().get(bound, TimeUnit.MILLISECONDS);
    }

    private static Delivery answered(int status, long start, boolean retryClientErrors) {
        if (status / 100 == 2) {
            return Delivery.sent(status, since(start));
        }
        String error = "the webhook answered " + status;
        boolean permanent = !retryClientErrors && status / 100 == 4 && status != 408 && status != 429;
        return new Delivery(Delivery.Outcome.FAILED, status, error, since(start), permanent);
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
