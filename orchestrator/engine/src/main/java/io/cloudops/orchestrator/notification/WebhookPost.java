package io.cloudops.orchestrator.notification;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * One JSON post to a webhook for Slack and PagerDuty: the outbound check of the route's kind first
 * ({@link OutboundPolicy}), then a Quarkus REST client with the connect and read timeouts of
 * {@link NotifyConfig}, no redirects followed, the notification id as {@code Idempotency-Key}. Never
 * throws: every outcome, the HTTP status of a refusal included, comes back as a {@link Delivery}.
 */
@ApplicationScoped
class WebhookPost {

    private final NotifyConfig config;
    private final OutboundPolicy policy;

    WebhookPost(NotifyConfig config, OutboundPolicy policy) {
        this.config = config;
        this.policy = policy;
    }

    Delivery post(RouteKind kind, String url, String idempotencyKey, JsonNode body) {
        java.util.Optional<String> refusal = policy.refusal(kind, url);
        if (refusal.isPresent()) {
            return Delivery.refused(refusal.get());
        }
        long start = System.nanoTime();
        try (JsonWebhookClient client = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(url))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS).followRedirects(false)
                .build(JsonWebhookClient.class); Response response = client.post(idempotencyKey, body)) {
            return answered(response.getStatus(), start);
        } catch (WebApplicationException e) {
            return answered(e.getResponse().getStatus(), start);
        } catch (Exception e) {
            return Delivery.failed(null, describe(e), since(start));
        }
    }

    /**
     * 2xx is delivered; a 4xx other than 429 is permanent (PagerDuty's 400 "invalid event", Slack's 404
     * "no_service" or 403 "invalid_token": the same post would be refused again), anything else is retried.
     */
    private static Delivery answered(int status, long start) {
        if (status / 100 == 2) {
            return Delivery.sent(status, since(start));
        }
        String error = "the webhook answered " + status;
        boolean permanent = status / 100 == 4 && status != 408 && status != 429;
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
