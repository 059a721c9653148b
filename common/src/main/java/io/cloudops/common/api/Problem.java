package io.cloudops.common.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document, the body of every error the API returns
 * ({@code application/problem+json}). {@code errors} names the offending fields of a request.
 */
@Schema(name = "Problem", description = "RFC 9457 problem details", requiredProperties = {"type", "title", "status"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        @Schema(description = "URI reference identifying the problem type", examples = "/problems/validation-error") String type,
        @Schema(description = "Short summary of the problem type", examples = "Invalid request") String title,
        @Schema(description = "HTTP status code", examples = "400") int status,
        @Schema(description = "What went wrong for this request and how to fix it") String detail,
        @Schema(description = "The request path") String instance,
        @Schema(description = "Offending fields, for validation problems") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: a JSON path into the request ({@code emailRecipients[1]}) or a parameter name. */
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(examples = "ttlMinutes") String field,
            @Schema(examples = "is required for sandbox environments") String message) {
    }
}
