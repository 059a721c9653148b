package io.cloudops.common.deployment;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A deployment template of the catalog, as {@code GET /api/templates} lists it. */
@Schema(name = "Template")
public record TemplateView(
        @Schema(examples = "web-app") String id,
        @Schema(examples = "Web application") String name,
        @Schema(nullable = true) String description,
        @Schema(description = "Kinds of the Kubernetes objects it renders", examples = "[\"Deployment\", \"Service\"]") List<String> kinds,
        List<TemplateParameterView> parameters) {
}
