package io.cloudops.orchestrator.notification;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Posts a notification's Adaptive Card to a Teams webhook: bounded connect and read timeouts, no
 * redirects followed, the notification id as {@code Idempotency-Key}. Never throws: every outcome,
 * the HTTP status of a refusal included, comes back as a {@link Delivery}.
 */
@ApplicationScoped
class TeamsSender {

    private final NotifyConfig config;
    private final OutboundPolicy policy;

    TeamsSender(NotifyConfig config, OutboundPolicy policy) {
        this.config = config;
        this.policy = policy;
    }

    Delivery send(String webhookUrl, NotificationMessage message) {
        java.util.Optional<String> refusal = policy.refusal(webhookUrl);
        if (refusal.isPresent()) {
            return Delivery.refused(refusal.get());
        }
        long start = System.nanoTime();
        try (TeamsWebhookClient client = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(webhookUrl))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS).followRedirects(false)
                .build(TeamsWebhookClient.class);
                Response response = client.post(message.notificationId().toString(), TeamsCard.envelope(message))) {
            int status = response.getStatus();
            return status / 100 == 2
                    ? Delivery.sent(status, since(start))
                    : Delivery.failed(status, "the webhook answered " + status, since(start));
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return Delivery.failed(status, "the webhook answered " + status, since(start));
        } catch (ProcessingException | IllegalArgumentException e) {
            return Delivery.failed(null, describe(e), since(start));
        } catch (Exception e) {
            return Delivery.failed(null, describe(e), since(start));
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
