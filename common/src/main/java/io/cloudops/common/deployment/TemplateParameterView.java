package io.cloudops.common.deployment;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One declared parameter of a template: its type, constraints and default, and a description for the form. */
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
        @Schema(description = "Largest accepted integer") Long maximum,
        @Schema(description = "The only values accepted (a choice), left out when any value passing the other rules is", examples = "[\"IfNotPresent\", \"Always\", \"Never\"]") List<Object> allowedValues) {
}
