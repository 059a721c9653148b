package io.cloudops.api.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.cloudops.api.audit.RequestIdHandler;
import io.cloudops.api.security.DemoAuthenticationMechanism;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.api.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The rules of the API contract that hold for every operation, applied once to the scanned
 * document (build time, so {@code target/openapi.json} has them too) instead of being repeated on
 * each resource method: the security schemes and each operation's security, the problem responses
 * every operation can return, the custom-method paths ({@code :restart}) with a literal colon, and
 * nullable properties. Whatever is particular to one operation stays in its annotations.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ContractFilter implements OASFilter {

    static final String DEMO_SCHEME = "demoRole";
    static final String OIDC_SCHEME = "oidc";
    /** The requirement the Quarkus extension derives from {@code @RolesAllowed}; replaced by ours. */
    private static final String ROLES_SCHEME = "SecurityScheme";
    /** The role an operation needs, also as an extension for tools that do not read 3.1 role lists. */
    static final String REQUIRED_ROLE = "x-required-role";
    private static final Map<String, String> ROLE_HIERARCHY = Map.of("viewer", " (operator and admin include it)",
            "operator", " (admin includes it)");
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final String RETRY_AFTER = "Retry-After";
    /** The JAX-RS template group that lets the colon arrive raw or percent-encoded. */
    private static final String COLON_GROUP = "{colon}";
    /** String schemas inlined where they are used, so a property can say it is nullable. */
    private static final List<String> INLINED = List.of("UUID", "Instant");

    /** What each group of operations is for (the tags of the resources). */
    private static final Map<String, String> TAGS = Map.ofEntries(
            Map.entry("Projects", "Projects, their notification routes and their environments"),
            Map.entry("Environments", "Environments of a project (dev, stage, prod, sandbox)"),
            Map.entry("Sandboxes", "Ephemeral sandbox environments with a time to live"),
            Map.entry("Deployments", "Deployment templates and deployments of a template into an environment"),
            Map.entry("Database operations", "Backups and restores of a registered database"),
            Map.entry("Workloads", "Rolling restarts of Kubernetes workloads"),
            Map.entry("Cost", "Monthly cost estimates from list prices"),
            Map.entry("Tasks", "Every operation is a task: queued per entity, run step by step, streamed live"),
            Map.entry("Dead letters", "Tasks that exhausted their attempts, to retry or skip"),
            Map.entry("Schedules", "Cron schedules of operations, fired once per due time across instances"),
            Map.entry("Notifications", "Teams and email notifications of task outcomes"),
            Map.entry("Audit", "Who did what, when, from where, and how it ended"));

    /** The guard rails' problem (io.cloudops.api.guardrail), by its short name as in docs/errors.md. */
    private static final String POLICY_DENIED = "policy-denied";
    /** Problems any operation can answer, whatever it does (docs/errors.md). */
    private static final Map<String, String> ANY_OPERATION = new LinkedHashMap<>();
    /** Problems of an operation that takes parameters or a body. */
    private static final Map<String, String> WITH_INPUT = Map.of("400",
            "validation-error: a field or parameter breaks a rule (errors[].field names it)");
    /** Problems of an operation with path parameters. */
    private static final Map<String, String> WITH_PATH = Map.of("404", "not-found: unknown id or route");
    /**
     * Problems of an operation that takes an Idempotency-Key: the task-creating ones, which all go
     * through {@code TaskAcceptance} and so through the principal's task rate limit (429) and the
     * guard rails (403 or 422, io.cloudops.api.guardrail).
     */
    private static final Map<String, String> WITH_IDEMPOTENCY_KEY = Map.of("409",
            "conflict: the Idempotency-Key was used for a different request, or the entity is busy and the task type's busy policy is skip-if-busy (the detail names the busy task)",
            "429",
            "too-many-requests: more task-creating requests than your rate limit allows; retry after Retry-After seconds",
            "403", POLICY_DENIED + ": a guard rail of status 403 denied it (e.g. a freeze window; the detail names the "
                    + "policy; its overridableBy role may send a reason); or forbidden: your role does not allow "
                    + "the action; or cross-site-request",
            "422", POLICY_DENIED + ": a guard rail of status 422 denied what the request asks (the detail names the "
                    + "policy, errors[].field the field); or a field breaks a rule of the domain");
    /** Problems of an operation that takes a body. */
    private static final Map<String, String> WITH_BODY = new LinkedHashMap<>();
    static {
        ANY_OPERATION.put("401", "unauthorized: not signed in");
        ANY_OPERATION.put("403", "forbidden: your role does not allow the action (viewer < operator < admin); "
                + "or cross-site-request: a state-changing request from a browser without a CSRF or bearer token");
        ANY_OPERATION.put("406",
                "not-acceptable: the Accept header asks for something this operation does not produce");
        ANY_OPERATION.put("500", "internal-error: a bug; the detail quotes a reference to find in the server log");
        ANY_OPERATION.put("503",
                "service-unavailable (nothing was changed) or commit-outcome-unknown: retry after Retry-After seconds, with the same Idempotency-Key");
        WITH_BODY.put("400",
                "validation-error or malformed-request: the body is not a JSON object, or a field breaks a rule");
        WITH_BODY.put("413", "payload-too-large: the body is larger than 1 MiB");
        WITH_BODY.put("415", "unsupported-media-type: the body is not application/json");
    }

    @Override
    public void filterOpenAPI(OpenAPI api) {
        api.setServers(
                List.of(OASFactory.createServer().url("/").description("The server this document was read from")));
        api.getComponents()
                .addSecurityScheme(DEMO_SCHEME, OASFactory.createSecurityScheme().type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER).name(DemoAuthenticationMechanism.ROLE_HEADER)
                        .description("Demo mode only: the role to act as (viewer, operator, admin; default admin). "
                                + "The cloudops-demo-role cookie works too. X-Demo-User (or the cloudops-demo-user "
                                + "cookie) picks the user: demo (default), alice, bob or carol, so that one user can "
                                + "request a task and another approve it."))
                .addSecurityScheme(OIDC_SCHEME, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                        .scheme("bearer").bearerFormat("JWT")
                        .description("An OIDC access token (outside demo mode)."));
        if (api.getTags() != null) {
            api.getTags().forEach(tag -> {
                if (tag.getDescription() == null) {
                    tag.setDescription(TAGS.get(tag.getName()));
                }
            });
        }
        renameCustomMethods(api.getPaths());
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(this::complete));
        api.getComponents().removeSecurityScheme(ROLES_SCHEME);
        namePages(api);
        nullableProperties(api);
    }

    /**
     * {@code PageView<T>} is scanned as {@code Page}, {@code Page1}, ...: each is named after its
     * items ({@code ProjectPage}), and the raw one nothing refers to is dropped.
     */
    private static void namePages(OpenAPI api) {
        Map<String, String> renamed = new LinkedHashMap<>();
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        for (String name : List.copyOf(schemas.keySet())) {
            Schema page = schemas.get(name);
            if (!name.matches("Page\\d*") || page.getProperties() == null
                    || !page.getProperties().containsKey("items")) {
                continue;
            }
            api.getComponents().removeSchema(name);
            Schema items = page.getProperties().get("items").getItems();
            if (items != null && items.getRef() != null) {
                String item = items.getRef().substring(items.getRef().lastIndexOf('/') + 1);
                api.getComponents().addSchema(item + "Page", page);
                renamed.put("#/components/schemas/" + name, "#/components/schemas/" + item + "Page");
            }
        }
        api.getPaths().getPathItems().values().forEach(item -> item.getOperations().values()
                .forEach(op -> op.getResponses().getAPIResponses().values().forEach(response -> {
                    if (response.getContent() != null) {
                        response.getContent().getMediaTypes().values().forEach(media -> {
                            if (media.getSchema() != null && renamed.containsKey(media.getSchema().getRef())) {
                                media.getSchema().setRef(renamed.get(media.getSchema().getRef()));
                            }
                        });
                    }
                })));
    }

    /** {@code {name}{colon}restart} becomes {@code {name}:restart}; the group is no parameter of the contract. */
    private static void renameCustomMethods(Paths paths) {
        for (String path : List.copyOf(paths.getPathItems().keySet())) {
            if (path.contains(COLON_GROUP)) {
                PathItem item = paths.getPathItem(path);
                paths.removePathItem(path);
                item.getOperations().values().forEach(op -> {
                    if (op.getParameters() != null) {
                        op.setParameters(new ArrayList<>(
                                op.getParameters().stream().filter(p -> !"colon".equals(p.getName())).toList()));
                    }
                });
                if (item.getParameters() != null) {
                    item.setParameters(new ArrayList<>(
                            item.getParameters().stream().filter(p -> !"colon".equals(p.getName())).toList()));
                }
                paths.addPathItem(path.replace(COLON_GROUP, ":"), item);
            }
        }
    }

    private void complete(Operation op) {
        List<String> roles = requiredRoles(op);
        // OpenAPI 3.1: the array of a non-OAuth2 scheme may name the roles the operation needs
        op.setSecurity(List.of(requirement(DEMO_SCHEME, roles), requirement(OIDC_SCHEME, roles)));
        if (!roles.isEmpty()) {
            op.addExtension(REQUIRED_ROLE, roles.getFirst());
            String needs = "Requires the `" + roles.getFirst() + "` role" + ROLE_HIERARCHY.getOrDefault(
                    roles.getFirst(), "") + ".";
            op.setDescription(op.getDescription() == null ? needs : op.getDescription() + "\n\n" + needs);
        }
        APIResponses responses = op.getResponses();
        boolean hasInput = op.getParameters() != null && !op.getParameters().isEmpty();
        boolean hasBody = op.getRequestBody() != null;
        if (hasBody) {
            WITH_BODY.forEach((status, description) -> addIfAbsent(responses, status, description));
        } else if (hasInput) {
            WITH_INPUT.forEach((status, description) -> addIfAbsent(responses, status, description));
        }
        if (hasInput && op.getParameters().stream().anyMatch(p -> p.getIn() == Parameter.In.PATH)) {
            WITH_PATH.forEach((status, description) -> addIfAbsent(responses, status, description));
        }
        if (hasInput && op.getParameters().stream().anyMatch(p -> p.getIn() == Parameter.In.HEADER
                && TaskAcceptance.IDEMPOTENCY_KEY.equals(p.getName()))) {
            WITH_IDEMPOTENCY_KEY.forEach((status, description) -> addIfAbsent(responses, status, description));
            // an operation's own 422 says what else it refuses; the guard rails may refuse it too
            var unprocessable = responses.getAPIResponse("422");
            if (!unprocessable.getDescription().contains(POLICY_DENIED)) {
                unprocessable.setDescription(unprocessable.getDescription() + "; or " + POLICY_DENIED
                        + ": a guard rail of status 422 denied what the request asks (the detail names the policy)");
            }
        }
        ANY_OPERATION.forEach((status, description) -> addIfAbsent(responses, status, description));
        // every error answer is a problem document, whatever its annotation said
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(problemContent());
            }
            if ("429".equals(status)) {
                response.addHeader(RETRY_AFTER, OASFactory.createHeader().description("Seconds to wait before retrying")
                        .required(true).schema(OASFactory.createSchema().addType(SchemaType.INTEGER).minimum(
                                java.math.BigDecimal.ONE)));
            }
            if (response.getHeaders() == null || !response.getHeaders().containsKey(RequestIdHandler.HEADER)) {
                response.addHeader(RequestIdHandler.HEADER, requestIdHeader());
            }
        });
    }

    /** Every answer names its request (io.cloudops.api.audit.RequestIdHandler), as the audit log does. */
    private static org.eclipse.microprofile.openapi.models.headers.Header requestIdHeader() {
        return OASFactory.createHeader().description("The request's id: the client's X-Request-Id when it sent a "
                + "valid one (1 to 128 of A-Z a-z 0-9 . _ : -), else a generated UUID; audit entries carry it")
                .schema(OASFactory.createSchema().addType(SchemaType.STRING));
    }

    private static SecurityRequirement requirement(String scheme, List<String> roles) {
        return OASFactory.createSecurityRequirement().addScheme(scheme, roles);
    }

    /**
     * The roles of the operation's {@code @RolesAllowed}, as the Quarkus OpenAPI extension put them
     * in its own requirement (scheme {@value #ROLES_SCHEME}) before this filter runs.
     */
    private static List<String> requiredRoles(Operation op) {
        if (op.getSecurity() == null) {
            return List.of();
        }
        return op.getSecurity().stream().filter(r -> r.hasScheme(ROLES_SCHEME)).findFirst()
                .map(r -> List.copyOf(r.getScheme(ROLES_SCHEME))).orElse(List.of());
    }

    private static void addIfAbsent(APIResponses responses, String status, String description) {
        APIResponse existing = responses.getAPIResponse(status);
        if (existing == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        } else if (existing.getDescription() == null || existing.getDescription().startsWith("Not ")) {
            existing.setDescription(description); // "Not Authorized" / "Not Allowed" of the generated ones
        }
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
    }

    /**
     * Which properties are required and which may be null. An answer's object is written with
     * every property (Jackson inclusion {@code always}): so in a schema only answers use, every
     * property is required, and it may be null only where its record component says
     * {@code @Schema(nullable = true)}. A schema that lists its required properties itself (one
     * written without its null fields) keeps that list, and its other properties are optional,
     * never null. In a request, a property that is not required may be left out or sent as null.
     * The string schemas {@code UUID} and {@code Instant} are inlined so that a property can say
     * it is nullable.
     */
    private static void nullableProperties(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        Map<String, Schema> inlined = new LinkedHashMap<>();
        INLINED.forEach(name -> {
            if (schemas.containsKey(name)) {
                inlined.put("#/components/schemas/" + name, schemas.get(name));
            }
        });
        java.util.Set<String> inRequests = SchemaUse.ofRequests(api);
        schemas.forEach((name, schema) -> visit(schema, inlined, !inRequests.contains(name)));
        api.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(op -> {
            if (op.getParameters() != null) {
                op.getParameters().forEach(p -> p.setSchema(inline(p.getSchema(), inlined)));
            }
            if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
                op.getRequestBody().getContent().getMediaTypes().values()
                        .forEach(m -> m.setSchema(inline(m.getSchema(), inlined)));
            }
        }));
        INLINED.forEach(api.getComponents()::removeSchema);
    }

    private static void visit(Schema schema, Map<String, Schema> inlined,
            boolean answerOnly) {
        if (schema == null || schema.getProperties() == null) {
            return;
        }
        boolean listsRequired = schema.getRequired() != null && !schema.getRequired().isEmpty();
        List<String> required = listsRequired ? schema.getRequired() : List.of();
        Map<String, Schema> properties = new LinkedHashMap<>();
        schema.getProperties().forEach((name, property) -> {
            boolean declaredNullable = admitsNull(property);
            Schema p = inline(nonNull(property), inlined);
            if (p.getItems() != null) {
                p.setItems(inline(p.getItems(), inlined));
            }
            boolean nullable = answerOnly ? declaredNullable && !listsRequired : !required.contains(name);
            if (nullable) {
                p = nullable(p);
            } else if (p.getRef() == null && p.getType() != null) {
                p.setType(new ArrayList<>(p.getType().stream().filter(type -> type != SchemaType.NULL).toList()));
            }
            properties.put(name, p);
        });
        schema.setProperties(properties);
        if (answerOnly && !listsRequired) {
            schema.setRequired(new ArrayList<>(properties.keySet()));
        }
    }

    private static boolean admitsNull(Schema property) {
        return property.getType() != null && property.getType().contains(SchemaType.NULL)
                || nullableReference(property) != null;
    }

    /** The reference of {@code anyOf: [{$ref}, {type: null}]}, as a nullable reference is scanned. */
    private static Schema nullableReference(Schema property) {
        List<Schema> any = property.getAnyOf();
        if (any == null || any.size() != 2) {
            return null;
        }
        Schema ref = any.stream().filter(s -> s.getRef() != null).findFirst().orElse(null);
        boolean otherIsNull = any.stream().anyMatch(s -> s.getRef() == null && s.getType() != null
                && s.getType().equals(List.of(SchemaType.NULL)));
        return ref != null && otherIsNull ? ref : null;
    }

    /** The property without its null alternative: a reference stays a plain reference. */
    private static Schema nonNull(Schema property) {
        Schema ref = nullableReference(property);
        if (ref == null) {
            return property;
        }
        Schema plain = OASFactory.createSchema().ref(ref.getRef());
        plain.setDescription(property.getDescription());
        return plain;
    }

    private static Schema inline(Schema schema, Map<String, Schema> inlined) {
        if (schema == null || schema.getRef() == null || !inlined.containsKey(schema.getRef())) {
            return schema;
        }
        Schema target = inlined.get(schema.getRef());
        Schema copy = OASFactory.createSchema().type(new ArrayList<>(target.getType())).format(target.getFormat())
                .pattern(target.getPattern()).examples(target.getExamples());
        copy.setDescription(schema.getDescription() != null ? schema.getDescription() : target.getDescription());
        return copy;
    }

    /**
     * A property that may be null: its type gets {@code null}; a reference becomes
     * {@code anyOf: [{$ref}, {type: null}]} (OpenAPI 3.1; siblings of a {@code $ref} would not
     * widen it). A property of any type ({@code {}}) already admits null.
     */
    private static Schema nullable(Schema property) {
        if (property.getRef() != null) {
            Schema nullable = OASFactory.createSchema().anyOf(new ArrayList<>(List.of(
                    OASFactory.createSchema().ref(property.getRef()),
                    OASFactory.createSchema().addType(SchemaType.NULL))));
            nullable.setDescription(property.getDescription());
            return nullable;
        }
        addNull(property);
        return property;
    }

    private static void addNull(Schema schema) {
        if (schema.getType() != null && !schema.getType().isEmpty() && !schema.getType().contains(SchemaType.NULL)) {
            List<SchemaType> types = new ArrayList<>(schema.getType());
            types.add(SchemaType.NULL);
            schema.setType(types);
        }
    }
}
