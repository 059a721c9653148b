package io.cloudops.orchestrator.notification;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON webhook (a Slack incoming webhook, the PagerDuty Events API), as a Quarkus REST client whose
 * base URI is the whole URL: {@link WebhookPost} builds one per send with the timeouts of
 * {@link NotifyConfig} and no redirects followed.
 */
public interface JsonWebhookClient extends AutoCloseable {

    /** Posts {@code body}; 2xx is accepted. The key lets a receiver drop a duplicate of a retried post. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response post(@HeaderParam("Idempotency-Key") String idempotencyKey, JsonNode body);
}
