package io.cloudops.orchestrator.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.quarkus.runtime.Startup;

/**
 * The deployment templates shipped with the control plane, read from the classpath at start:
 * {@code templates/catalog.yaml} lists the ids, and each {@code templates/<id>/} holds a
 * {@code template.yaml} (name, description, parameters) and the {@code manifests.yaml} it renders.
 * Every template is checked when loaded (known parameter types, defaults and allowed values that pass
 * their own rules, no placeholder without a parameter), so a broken catalog stops the start instead of a deployment.
 */
@ApplicationScoped
@Startup
public class TemplateCatalog {

    static final String ROOT = "deployment-templates/";
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
    private static final YAMLMapper YAML = new YAMLMapper();
    /** Cluster-wide kinds: a template deploys into its environment's namespace and nowhere else. */
    private static final Set<String> CLUSTER_SCOPED_KINDS = Set.of("Namespace", "Node", "PersistentVolume",
            "StorageClass", "PriorityClass", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService");

    private final Map<String, DeploymentTemplate> templates;
    private final List<DeploymentTemplate> ordered;

    TemplateCatalog() {
        Map<String, DeploymentTemplate> loaded = new LinkedHashMap<>();
        for (JsonNode id : read(ROOT + "catalog.yaml").path("templates")) {
            DeploymentTemplate template = load(id.asText());
            loaded.put(template.id(), template);
        }
        this.templates = Map.copyOf(loaded);
        this.ordered = List.copyOf(loaded.values());
    }

    /** Every template, in catalog order. */
    public List<DeploymentTemplate> all() {
        return ordered;
    }

    public Optional<DeploymentTemplate> find(String id) {
        return Optional.ofNullable(id == null ? null : templates.get(id));
    }

    static DeploymentTemplate load(String id) {
        String folder = ROOT + id + "/";
        JsonNode descriptor = read(folder + "template.yaml");
        if (!id.equals(descriptor.path("id").asText())) {
            throw new IllegalStateException(folder + "template.yaml declares id '" + descriptor.path("id").asText()
                    + "', expected '" + id + "'");
        }
        List<TemplateParameter> parameters = new ArrayList<>();
        for (JsonNode node : descriptor.path("parameters")) {
            parameters.add(parameter(id, node));
        }
        List<ObjectNode> manifests = ManifestRenderer.fromYaml(text(folder + descriptor.path("manifests")
                .asText("manifests.yaml")));
        if (manifests.isEmpty()) {
            throw new IllegalStateException("template " + id + " renders no manifest");
        }
        Set<String> placeholders = ManifestRenderer.placeholders(manifests);
        for (String placeholder : placeholders) {
            boolean declared = parameters.stream().anyMatch(p -> p.name().equals(placeholder));
            if (!declared && !ManifestRenderer.BUILT_INS.contains(placeholder)) {
                throw new IllegalStateException("template " + id + " uses ${" + placeholder
                        + "} but declares no such parameter");
            }
        }
        for (ObjectNode manifest : manifests) {
            if (manifest.path("kind").asText().isEmpty() || manifest.path("metadata").path("name").asText().isEmpty()) {
                throw new IllegalStateException("template " + id + " has a manifest without kind or metadata.name");
            }
            if (CLUSTER_SCOPED_KINDS.contains(manifest.path("kind").asText())) {
                throw new IllegalStateException("template " + id + " declares a cluster-scoped "
                        + manifest.path("kind").asText() + "; templates only hold namespaced objects");
            }
        }
        return new DeploymentTemplate(id, descriptor.path("name").asText(id), descriptor.path("description").asText(""),
                List.copyOf(parameters), List.copyOf(manifests));
    }

    private static TemplateParameter parameter(String templateId, JsonNode node) {
        String name = node.path("name").asText();
        if (!PARAMETER_NAME.matcher(name).matches() || ManifestRenderer.BUILT_INS.contains(name)
                || name.equals("simulate")) {
            throw new IllegalStateException("template " + templateId + ": invalid parameter name '" + name + "'");
        }
        TemplateParameter.Type type = TemplateParameter.Type.of(node.path("type").asText("string"));
        Object defaultValue = scalar(node.path("default"));
        List<Object> allowedValues = null;
        if (node.hasNonNull("allowedValues")) {
            if (type == TemplateParameter.Type.BOOLEAN || !node.path("allowedValues").isArray()
                    || node.path("allowedValues").isEmpty()) {
                throw new IllegalStateException("template " + templateId + ": allowedValues of " + name
                        + " must be a non-empty list (of strings or integers)");
            }
            allowedValues = new ArrayList<>();
            for (JsonNode value : node.path("allowedValues")) {
                allowedValues.add(scalar(value));
            }
            allowedValues = List.copyOf(allowedValues);
        }
        TemplateParameter parameter = new TemplateParameter(name, type, node.path("description").asText(""),
                node.path("required").asBoolean(false), defaultValue,
                node.hasNonNull("pattern") ? Pattern.compile(node.path("pattern").asText()) : null,
                node.hasNonNull("maxLength") ? node.path("maxLength").intValue() : null,
                node.hasNonNull("minimum") ? node.path("minimum").longValue() : null,
                node.hasNonNull("maximum") ? node.path("maximum").longValue() : null, allowedValues);
        if (allowedValues != null) {
            for (Object value : allowedValues) {
                if (value == null || parameter.problem(value).isPresent()) {
                    throw new IllegalStateException("template " + templateId + ": allowed value " + value + " of "
                            + name + " " + (value == null ? "is null" : parameter.problem(value).get()));
                }
            }
        }
        if (defaultValue != null && parameter.problem(defaultValue).isPresent()) {
            throw new IllegalStateException("template " + templateId + ": default of " + name + " "
                    + parameter.problem(defaultValue).get());
        }
        if (!parameter.required() && defaultValue == null) {
            throw new IllegalStateException("template " + templateId + ": optional parameter " + name
                    + " needs a default");
        }
        return parameter;
    }

    /** A YAML scalar as a parameter value: a whole number as a long, true/false as a boolean, else text. */
    private static Object scalar(JsonNode node) {
        return switch (node.getNodeType()) {
            case MISSING, NULL -> null;
            case NUMBER -> node.canConvertToLong() ? node.longValue() : null;
            case BOOLEAN -> node.booleanValue();
            default -> node.asText();
        };
    }

    private static JsonNode read(String resource) {
        try {
            return YAML.readTree(text(resource));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + resource, e);
        }
    }

    private static String text(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing template resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
