package io.cloudops.orchestrator.notification;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Emails a notification through SendGrid's v3 mail send API ({@code POST /v3/mail/send}, bearer API
 * key) when {@code SENDGRID_API_KEY} is set: one personalization with every recipient, the sender
 * from {@code SMTP_FROM}, the subject, a text/plain and a text/html content (in that order, as SendGrid
 * requires), and the notification id as header {@code X-CloudOps-Notification-Id}. The base URL is
 * checked against {@code SENDGRID_ALLOWED_HOSTS} first. Never throws.
 */
@ApplicationScoped
public class SendGridSender {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final NotifyConfig config;
    private final OutboundPolicy policy;

    SendGridSender(NotifyConfig config, OutboundPolicy policy) {
        this.config = config;
        this.policy = policy;
    }

    /** Whether email goes through SendGrid (an API key is set) instead of SMTP. */
    boolean enabled() {
        return config.email().sendGrid().apiKey().filter(k -> !k.isBlank()).isPresent();
    }

    Delivery send(List<String> to, String subject, NotificationMessage message) {
        return send(config.email().sendGrid().apiKey().orElseThrow(), to, subject, message);
    }

    /**
     * Sends with API key {@code key}: the configured one, or a test's (the tests' SMTP server stays the
     * email route of every other test in the same application).
     */
    public Delivery send(String key, List<String> to, String subject, NotificationMessage message) {
        String base = config.email().sendGrid().baseUrl();
        java.util.Optional<String> refusal = policy.sendGridRefusal(base);
        if (refusal.isPresent()) {
            return Delivery.refused(refusal.get());
        }
        long start = System.nanoTime();
        try (SendGridClient client = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(base))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS).followRedirects(false)
                .build(SendGridClient.class);
                Response response = client.send("Bearer " + key, mail(config.email().from(), to, subject, message))) {
            return answered(response.getStatus(), start);
        } catch (WebApplicationException e) {
            return answered(e.getResponse().getStatus(), start);
        } catch (Exception e) {
            return Delivery.failed(null, WebhookPost.describe(e).replace(key, RouteKind.MASK),
                    WebhookPost.since(start));
        }
    }

    /** The request body as SendGrid documents it. */
    static ObjectNode mail(String from, List<String> to, String subject, NotificationMessage message) {
        ObjectNode mail = NODES.objectNode();
        ArrayNode recipients = mail.putArray("personalizations").addObject().putArray("to");
        to.forEach(address -> recipients.addObject().put("email", address));
        mail.putObject("from").put("email", from);
        mail.put("subject", subject);
        ArrayNode content = mail.putArray("content");
        content.addObject().put("type", "text/plain").put("value", EmailBody.text(message));
        content.addObject().put("type", "text/html").put("value", EmailBody.html(message));
        mail.putObject("headers").put("X-CloudOps-Notification-Id", message.notificationId().toString());
        return mail;
    }

    /** 2xx (SendGrid: 202) is sent; 401/403/400 (a bad key or request) are permanent; others are retried. */
    private static Delivery answered(int status, long start) {
        if (status / 100 == 2) {
            return Delivery.sent(status, WebhookPost.since(start));
        }
        boolean permanent = status / 100 == 4 && status != 408 && status != 429;
        return new Delivery(Delivery.Outcome.FAILED, status, "SendGrid answered " + status, WebhookPost.since(start),
                permanent);
    }
}
