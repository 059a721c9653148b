package io.cloudops.api.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.api.problem.ApiException;
import io.cloudops.common.api.PageView;
import io.cloudops.common.audit.AuditEntryView;
import io.cloudops.common.audit.AuditOutcome;
import io.cloudops.common.security.Roles;
import io.cloudops.orchestrator.client.AuditTrail;

/** The audit log, for admins: newest first, filtered, a page at a time, as JSON or CSV. */
@Path("/api/audit")
@Tag(name = "Audit")
@RolesAllowed(Roles.ADMIN)
public class AuditResource {

    public static final int MAX_SIZE = 500;
    private static final String TIME_DOC = "ISO-8601 instant or date-time with offset, e.g. 2026-12-01T08:00:00Z";

    private final AuditTrail trail;

    AuditResource(AuditTrail trail) {
        this.trail = trail;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, AuditCsv.MEDIA_TYPE})
    @Operation(operationId = "listAuditEntries", summary = "List audit entries", description = "Every change (outcome succeeded, written in the change's own transaction) and every refused attempt (denied: 401/403; rejected: invalid input or conflict), newest first (id breaks ties). CSV with Accept: text/csv or format=csv: the same page, one row per entry, cells that start with = + - @ prefixed with ' so that spreadsheets show them as text.")
    @APIResponse(responseCode = "200", description = "A page of entries", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditEntryPage.class)),
            @Content(mediaType = AuditCsv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING, description = "Header row id,at,actor,roles,action,targetType,targetId,requestId,sourceAddress,outcome,detail"))}, headers = @Header(name = "X-Total-Count", description = "Entries matching the filters across all pages", schema = @Schema(type = SchemaType.INTEGER)))
    public Response list(
            @Parameter(description = "The principal, exactly") @QueryParam("actor") @Size(max = 200) String actor,
            @Parameter(description = "e.g. task.create, task.cancel, project.update, deadletter.retry, access") @QueryParam("action") @Size(max = 64) String action,
            @Parameter(description = "task | project | environment | sandbox | deadletter") @QueryParam("targetType") @Size(max = 32) String targetType,
            @Parameter(description = "The target's id, exactly") @QueryParam("targetId") @Size(max = 255) String targetId,
            @Parameter(description = "The X-Request-Id of the request, exactly") @QueryParam("requestId") @Size(max = 128) String requestId,
            @Parameter(description = "succeeded | denied | rejected") @QueryParam("outcome") String outcome,
            @Parameter(description = "From this moment on (inclusive); " + TIME_DOC) @QueryParam("from") String from,
            @Parameter(description = "Before this moment (exclusive); " + TIME_DOC) @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(MAX_SIZE) int size,
            @Parameter(description = "csv: the same as Accept: text/csv", schema = @Schema(enumeration = {"json",
                    "csv"})) @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        Instant since = parseInstant("from", from);
        Instant until = parseInstant("to", to);
        if (since != null && until != null && !since.isBefore(until)) {
            throw ApiException.invalidParameter("to", "must be after from");
        }
        AuditTrail.Filter filter = new AuditTrail.Filter(blankToNull(actor), blankToNull(action),
                blankToNull(targetType), blankToNull(targetId), blankToNull(requestId), outcome(outcome), since, until);
        boolean csv = csv(format, headers);
        PageView<AuditEntryView> entries = trail.list(filter, page, size);
        return csv
                ? Response.ok(AuditCsv.write(entries.items()), AuditCsv.MEDIA_TYPE + "; charset=UTF-8")
                        .header("X-Total-Count", entries.total()).build()
                : Response.ok(entries, MediaType.APPLICATION_JSON).header("X-Total-Count", entries.total()).build();
    }

    /** CSV when asked for by {@code format}, or when the client prefers text/csv to JSON. */
    private static boolean csv(String format, HttpHeaders headers) {
        if (format != null && !format.isBlank()) {
            return switch (format) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw ApiException.invalidParameter("format", "must be json or csv");
            };
        }
        for (MediaType accepted : headers.getAcceptableMediaTypes()) {
            if (accepted.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (accepted.isCompatible(MediaType.valueOf(AuditCsv.MEDIA_TYPE))) {
                return !accepted.isWildcardType();
            }
        }
        return false;
    }

    private static AuditOutcome outcome(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return AuditOutcome.find(value).orElseThrow(() -> ApiException.invalidParameter("outcome",
                "must be one of " + String.join(", ", AuditOutcome.allowedValues())));
    }

    /** An ISO-8601 instant (or date-time with offset); null for none; a 400 problem naming {@code parameter} otherwise. */
    public static Instant parseInstant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw ApiException.invalidParameter(parameter, "must be an ISO-8601 date-time with an offset, e.g. "
                        + "2026-12-01T08:00:00Z");
            }
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The schema of the JSON page (named for the document). */
    @Schema(name = "AuditEntryPage", description = "A page of audit entries")
    public record AuditEntryPage(List<AuditEntryView> items, int page, int size, long total,
            @Schema(description = "Always true here: the audit log counts every matching entry") boolean totalExact) {
    }
}
