package io.cloudops.orchestrator.notification;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * SendGrid's v3 mail send API as a Quarkus REST client; {@link SendGridSender} builds it on
 * {@link NotifyConfig.SendGrid#baseUrl()} with timeouts and no redirects.
 */
@Path("/v3/mail/send")
public interface SendGridClient extends AutoCloseable {

    /** Sends one email; SendGrid answers 202 Accepted. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response send(@HeaderParam("Authorization") String authorization, JsonNode mail);
}
