package io.cloudops.api.live;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.problem.ApiException;
import io.cloudops.common.api.Problem;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * Server-Sent Events fallback of the live hub, for clients and proxies without WebSockets. Each
 * event's id is its {@code seq}, so a reconnecting EventSource resumes with {@code Last-Event-ID};
 * heartbeats keep proxies from closing an idle stream; the stream ends once the task is terminal.
 * A client that cannot keep up is disconnected (its buffer is bounded) and resumes from its last id.
 */
@Path("/api/tasks/{id}/sse")
@Tag(name = "Tasks")
@RolesAllowed(Roles.VIEWER)
public class TaskStreamResource {

    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(15);
    static final int BUFFER = 512;

    private final TaskEventFeed feed;
    private final TaskQueries queries;
    private final ObjectMapper json;
    private final LiveConnections gauges;

    TaskStreamResource(TaskEventFeed feed, TaskQueries queries, ObjectMapper json, LiveConnections gauges) {
        this.feed = feed;
        this.queries = queries;
        this.json = json;
        this.gauges = gauges;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "streamTaskEvents", summary = "Live events of a task (SSE)", description = "Replays stored events after Last-Event-ID (or afterSeq), then streams live ones; heartbeats every 15 s; ends when the task is terminal.")
    @APIResponse(responseCode = "200", description = "A text/event-stream. Each task event is one SSE event: id = the event's seq, event = its kind (task: a status change, step: a step status or progress, log: a log line), data = the event as one line of JSON (taskId, seq, kind, step, status, message, percent, ts). Heartbeats are comment lines (: heartbeat).", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING, description = "SSE frames: id: <seq>\\nevent: <kind>\\ndata: <TaskEvent JSON>\\n\\n")))
    @APIResponse(responseCode = "404", description = "Unknown task", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<OutboundSseEvent> stream(@PathParam("id") UUID id, @Context Sse sse,
            @Parameter(description = "seq of the last event seen (set by EventSource on reconnect)") @HeaderParam("Last-Event-ID") String lastEventId,
            @Parameter(description = "seq of the last event seen, for clients that cannot set headers") @QueryParam("afterSeq") Long afterSeq) {
        TaskView task = queries.get(id).orElseThrow(() -> ApiException.notFound("Task", id));
        long after = resumeFrom(lastEventId, afterSeq);
        return Multi.createFrom().<Object>emitter(emitter -> follow(id, after, task, emitter))
                .onOverflow().buffer(BUFFER)
                .onFailure(BackPressureFailure.class).recoverWithCompletion()
                .map(item -> item instanceof TaskEvent event
                        ? sse.newEventBuilder().id(Long.toString(event.seq())).name(event.kind()).data(encode(event))
                                .build()
                        : sse.newEventBuilder().comment("heartbeat").build());
    }

    /** Marker of a heartbeat in the stream. */
    private static final Object HEARTBEAT = new Object();

    private void follow(UUID id, long after, TaskView task, MultiEmitter<Object> emitter) {
        // cleanup is registered first: the replay below may already complete the stream
        AtomicReference<TaskEventFeed.Subscription> subscription = new AtomicReference<>();
        AtomicBoolean terminated = new AtomicBoolean();
        gauges.sseOpened();
        ScheduledFuture<?> heartbeat = Infrastructure.getDefaultWorkerPool().scheduleAtFixedRate(
                () -> emitter.emit(HEARTBEAT),
                HEARTBEAT_EVERY.toMillis(), HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        emitter.onTermination(() -> {
            if (!terminated.getAndSet(true)) {
                gauges.sseClosed();
            }
            heartbeat.cancel(false);
            TaskEventFeed.Subscription s = subscription.getAndSet(null);
            if (s != null) {
                s.close();
            }
        });
        subscription.set(feed.follow(id, after, event -> {
            emitter.emit(event);
            if (TaskEvent.KIND_TASK.equals(event.kind()) && event.status() != null
                    && TaskStatus.fromValue(event.status()).isTerminal()) {
                emitter.complete();
            }
        }));
        if (terminated.get()) {
            TaskEventFeed.Subscription s = subscription.getAndSet(null);
            if (s != null) {
                s.close();
            }
        } else if (task.status().isTerminal() && queries.eventsAfter(id, after, 1).isEmpty()) {
            emitter.complete(); // finished, and the client has seen everything
        }
    }

    private static long resumeFrom(String lastEventId, Long afterSeq) {
        if (lastEventId != null && lastEventId.strip().matches("\\d{1,18}")) {
            return Long.parseLong(lastEventId.strip());
        }
        return afterSeq == null || afterSeq < 0 ? 0 : afterSeq;
    }

    private String encode(TaskEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
