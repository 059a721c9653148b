package io.cloudops.orchestrator.notification;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Teams Workflows webhook, as a Quarkus REST client. The webhook URL (path and query string are
 * its credential) is the client's base URI, so {@link TeamsSender} builds one client per send
 * with the timeouts of {@link NotifyConfig}.
 */
public interface TeamsWebhookClient extends AutoCloseable {

    /** Posts the message; 2xx is accepted. The key lets a receiver drop a duplicate of a retried post. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response post(@HeaderParam("Idempotency-Key") String idempotencyKey, JsonNode message);
}
