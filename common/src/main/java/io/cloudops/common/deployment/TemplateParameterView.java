package io.cloudops.common.deployment;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One declared parameter of a template: its type, constraints and default. */
@Schema(name = "TemplateParameter", requiredProperties = {"name", "type", "required"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateParameterView(
        @Schema(examples = "replicas") String name,
        @Schema(description = "string | integer | boolean", examples = "integer") String type,
        String description,
        boolean required,
        @Schema(description = "Used when the request leaves the parameter out") Object defaultValue,
        @Schema(description = "Regular expression a string value must match") String pattern,
        @Schema(description = "Longest accepted string") Integer maxLength,
        @Schema(description = "Smallest accepted integer") Long minimum,
        @Schema(description = "Largest accepted integer") Long maximum) {
}
