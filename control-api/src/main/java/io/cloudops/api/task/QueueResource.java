package io.cloudops.api.task;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.common.security.Roles;
import io.cloudops.common.task.QueueView;
import io.cloudops.orchestrator.client.TaskQueries;

/** Queue depth per session (entity), the running task of each, totals and the configured limits. */
@Path("/api/queue")
@Tag(name = "Tasks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class QueueResource {

    private final TaskQueries queries;

    QueueResource(TaskQueries queries) {
        this.queries = queries;
    }

    @GET
    @Operation(operationId = "getQueue", summary = "Queue depth per session, running sessions and limits")
    public QueueView queue() {
        return queries.queue();
    }
}
