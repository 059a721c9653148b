package io.cloudops.api.openapi;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The document served at {@code /q/openapi} is one that generated clients and validating proxies
 * can use as it is: a strict parser reads it without a single message, and every operation has an
 * operationId, a 2xx with its schema, problem responses for its errors and the security it needs.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final String PROBLEM = "#/components/schemas/Problem";

    private OpenAPI api;
    private SwaggerParseResult parsed;

    @BeforeEach
    void parse() {
        String document = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        parsed = new OpenAPIParser().readContents(document, null, options);
        api = parsed.getOpenAPI();
    }

    @Test
    void aStrictParserReadsTheDocumentWithoutAnyMessage() {
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getSpecVersion()).isEqualTo(io.swagger.v3.oas.models.SpecVersion.V31);
        assertThat(api.getServers()).isNotEmpty();
    }

    @Test
    void everyOperationHasAReadableUniqueOperationId() {
        List<String> ids = new ArrayList<>();
        operations().forEach((where, op) -> {
            assertThat(op.getOperationId()).as(where).matches("[a-z][a-zA-Z]+");
            ids.add(op.getOperationId());
        });
        assertThat(ids).doesNotHaveDuplicates().contains("listProjects", "getProject", "createProject",
                "createEnvironment", "createDeployment", "restartWorkload", "backupDatabase", "restoreDatabase",
                "getTask", "listDeadLetters", "estimateCost", "streamTaskEvents");
    }

    @Test
    void everyOperationAnswersA2xxWithItsSchema() {
        operations().forEach((where, op) -> {
            List<String> success = op.getResponses().keySet().stream().filter(s -> s.startsWith("2")).toList();
            assertThat(success).as(where + " 2xx").isNotEmpty();
            success.stream().filter(s -> !"204".equals(s)).forEach(status -> {
                ApiResponse response = op.getResponses().get(status);
                assertThat(response.getContent()).as(where + " " + status + " content").isNotEmpty();
                response.getContent().forEach((type, media) -> {
                    assertThat(type).as(where).isIn("application/json", "text/event-stream", "text/csv");
                    assertThat(media.getSchema()).as(where + " " + status + " schema").isNotNull();
                });
            });
        });
        assertThat(api.getPaths().get("/api/tasks/{id}/sse").getGet().getResponses().get("200").getContent())
                .containsOnlyKeys("text/event-stream");
        assertThat(api.getPaths().get("/api/audit").getGet().getResponses().get("200").getContent())
                .containsOnlyKeys("application/json", "text/csv");
    }

    @Test
    void everyAnswerDeclaresItsRequestIdHeader() {
        operations().forEach((where, op) -> op.getResponses().forEach((status, response) -> assertThat(
                response.getHeaders()).as(where + " " + status).containsKey("X-Request-Id")));
    }

    @Test
    void everyErrorIsAProblemDocumentAndTheCommonOnesAreDeclaredEverywhere() {
        operations().forEach((where, op) -> {
            assertThat(op.getResponses()).as(where).containsKeys("401", "403", "500", "503");
            op.getResponses().forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    assertThat(response.getContent()).as(where + " " + status)
                            .containsOnlyKeys("application/problem+json");
                    assertThat(response.getContent().get("application/problem+json").getSchema().get$ref())
                            .as(where + " " + status).isEqualTo(PROBLEM);
                }
            });
        });
    }

    @Test
    void securityIsDefinedAndRequiredByEveryOperation() {
        Set<String> schemes = api.getComponents().getSecuritySchemes().keySet();
        assertThat(schemes).contains("demoRole", "oidc");
        assertThat(api.getComponents().getSecuritySchemes().get("demoRole").getName()).isEqualTo("X-Demo-Role");
        operations().forEach((where, op) -> {
            assertThat(op.getSecurity()).as(where).isNotEmpty();
            op.getSecurity().forEach(requirement -> assertThat(schemes).as(where).containsAll(requirement.keySet()));
        });
    }

    @Test
    void everyTaskCreatingOperationTakesAnIdempotencyKeyHeader() {
        operations().forEach((where, op) -> {
            if (op.getResponses().containsKey("202") && op.getResponses().get("202").getContent().values().stream()
                    .anyMatch(m -> String.valueOf(m.getSchema().get$ref()).endsWith("Accepted"))) {
                assertThat(op.getParameters()).as(where).anyMatch(
                        p -> "header".equals(p.getIn()) && "Idempotency-Key".equals(p.getName()));
            }
        });
        assertThat(api.getPaths().get("/api/k8s/workloads/{ns}/{name}:restart").getPost().getParameters())
                .extracting(Parameter::getName).contains("Idempotency-Key");
    }

    /**
     * 429 is declared where it can happen, and only there: the task-creating operations (those that
     * take an Idempotency-Key), each with its Retry-After header.
     */
    @Test
    void exactlyTheTaskCreatingOperationsDeclareTheRateLimitWithRetryAfter() {
        List<String> limited = new ArrayList<>();
        operations().forEach((where, op) -> {
            boolean taskCreating = op.getParameters() != null && op.getParameters().stream()
                    .anyMatch(p -> "header".equals(p.getIn()) && "Idempotency-Key".equals(p.getName()));
            assertThat(op.getResponses().containsKey("429")).as(where + " declares 429").isEqualTo(taskCreating);
            if (taskCreating) {
                limited.add(op.getOperationId());
                ApiResponse tooMany = op.getResponses().get("429");
                assertThat(tooMany.getContent().get("application/problem+json").getSchema().get$ref())
                        .isEqualTo(PROBLEM);
                assertThat(tooMany.getHeaders()).as(where).containsKey("Retry-After");
                assertThat(tooMany.getHeaders().get("Retry-After").getSchema().getTypes()).containsExactly("integer");
            }
        });
        assertThat(limited).containsExactlyInAnyOrder("createDeployment", "rollbackDeployment", "redeployEnvironment",
                "createSandbox",
                "backupDatabase",
                "restoreDatabase", "restartWorkload", "createDiagnosticTask");
    }

    @Test
    void theRestartPathHasALiteralColonAndOnlyDeclaredParameters() {
        assertThat(api.getPaths()).containsKey("/api/k8s/workloads/{ns}/{name}:restart");
        assertThat(api.getPaths().keySet()).noneMatch(path -> path.contains("{colon}"));
        operations().forEach((where, op) -> {
            List<String> declared = op.getParameters() == null
                    ? List.of()
                    : op.getParameters().stream().filter(p -> "path".equals(p.getIn())).map(Parameter::getName)
                            .toList();
            String path = where.substring(where.indexOf(' ') + 1);
            List<String> inPath = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path).results()
                    .map(m -> m.group(1)).toList();
            assertThat(declared).as(where).containsExactlyInAnyOrderElementsOf(inPath);
        });
    }

    @Test
    void noLibraryTypeLeaksIntoTheSchemasAndFreeFormJsonIsAnObject() {
        assertThat(api.getComponents().getSchemas().keySet())
                .noneMatch(name -> name.matches("(?i).*(JsonNode|OutboundSseEvent|MediaType|Multi|Uni).*"))
                .noneMatch(name -> name.matches("Page\\d*"));
        Map<String, Schema> task = api.getComponents().getSchemas().get("Task").getProperties();
        Map<String, Schema> deadLetter = api.getComponents().getSchemas().get("DeadLetter").getProperties();
        for (Schema<?> freeForm : List.of(task.get("payload"), deadLetter.get("originalMessage"))) {
            assertThat(freeForm.getTypes()).containsExactly("object");
            assertThat(freeForm.getProperties()).isNull();
            assertThat(freeForm.getAdditionalProperties()).isEqualTo(Boolean.TRUE);
        }
    }

    /**
     * An answer carries every property of its schema (null when there is no value), and only the
     * properties that can be null say so: a generated client gets non-null fields where the API
     * never writes null, and the validation of every test's answers holds the code to that.
     */
    @Test
    void answersRequireEveryPropertyAndOnlyTheNullableOnesAdmitNull() {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        Schema<?> task = schemas.get("Task");
        assertThat(task.getRequired()).containsExactlyInAnyOrderElementsOf(task.getProperties().keySet());
        List<String> nullable = task.getProperties().entrySet().stream().filter(e -> admitsNull(e.getValue()))
                .map(Map.Entry::getKey).toList();
        assertThat(nullable).containsExactlyInAnyOrder("entityLabel", "correlationId", "idempotencyKey", "requestedBy",
                "startedAt", "finishedAt", "nextAttemptAt", "error", "supersededBy", "approval");
        // a nullable reference: anyOf the schema and null (OpenAPI 3.1), the schema itself stays non-null
        List<Schema> error = task.getProperties().get("error").getAnyOf();
        assertThat(error).hasSize(2).anyMatch(s -> "#/components/schemas/TaskError".equals(s.get$ref()));
        assertThat(schemas.get("TaskError").getTypes()).containsExactly("object");
        assertThat(task.getProperties().get("status").get$ref()).isEqualTo("#/components/schemas/TaskStatus");
        // written without its null fields: required as declared, the others optional and never null
        Schema<?> problem = schemas.get("Problem");
        assertThat(problem.getRequired()).containsExactlyInAnyOrder("type", "title", "status");
        assertThat(problem.getProperties().values()).noneMatch(OpenApiContractTest::admitsNull);
        // a request: what is not required may be left out or sent as null
        Schema<?> project = schemas.get("ProjectRequest");
        assertThat(project.getRequired()).containsExactly("name");
        assertThat(admitsNull((Schema<?>) project.getProperties().get("description"))).isTrue();
        assertThat(admitsNull((Schema<?>) project.getProperties().get("name"))).isFalse();
        // every answer-only object lists its required properties
        schemas.forEach((name, schema) -> {
            if (schema.getProperties() != null && !name.endsWith("Request") && !"CostResource".equals(name)) {
                assertThat(schema.getRequired()).as(name + " required").isNotEmpty();
            }
        });
    }

    private static boolean admitsNull(Schema<?> schema) {
        return schema.getTypes() != null && schema.getTypes().contains("null")
                || schema.getAnyOf() != null && schema.getAnyOf().stream()
                        .anyMatch(s -> s.getTypes() != null && s.getTypes().contains("null"));
    }

    /**
     * Each operation names the role it needs (from its {@code @RolesAllowed}): as the role list of
     * its security requirements (OpenAPI 3.1 allows role names there), as {@code x-required-role},
     * and in its description.
     */
    @Test
    void everyOperationNamesTheRoleItNeeds() {
        Map<String, String> roleOf = new java.util.HashMap<>();
        operations().forEach((where, op) -> {
            Object role = op.getExtensions() == null ? null : op.getExtensions().get("x-required-role");
            assertThat(role).as(where).isIn("viewer", "operator", "admin");
            op.getSecurity().forEach(requirement -> requirement
                    .forEach((scheme, roles) -> assertThat(roles).as(where + " " + scheme)
                            .containsExactly((String) role)));
            assertThat(op.getDescription()).as(where).contains("Requires the `" + role + "` role");
            roleOf.put(op.getOperationId(), (String) role);
        });
        assertThat(roleOf).containsEntry("listTasks", "viewer").containsEntry("streamTaskEvents", "viewer")
                .containsEntry("createDeployment", "operator").containsEntry("restartWorkload", "operator")
                .containsEntry("cancelTask", "operator").containsEntry("createProject", "admin")
                .containsEntry("retryDeadLetter", "admin").containsEntry("listAuditEntries", "admin");
    }

    /**
     * Redocly CLI (pinned in tools/openapi-lint, installed by {@code make test} or here with
     * {@code npm ci}) with its recommended rules finds no error and no warning in the served
     * document. Without Node.js the test is skipped, and says so; in CI that is a failure.
     */
    @Test
    void redoclyLintFindsNoProblem() throws Exception {
        Path tools = Path.of("..", "tools", "openapi-lint").toAbsolutePath().normalize();
        Path redocly = tools.resolve("node_modules/.bin/redocly");
        boolean node = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "npm")));
        if (!node) {
            assertThat(System.getenv("CI")).as("Node.js and npm are required in CI (Redocly lint)")
                    .isNotEqualTo("true");
            Assumptions
                    .abort("SKIPPED LOUDLY: Redocly lint needs Node.js and npm (Debian: apt-get install nodejs npm)");
        }
        if (!Files.isExecutable(redocly)) {
            run(tools, Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
        }
        Path dir = Files.createDirectories(Path.of("target", "openapi-lint").toAbsolutePath());
        Path document = dir.resolve("openapi.json");
        Files.writeString(document, given().accept("application/json").get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString());
        Path report = dir.resolve("redocly-report.json");
        int exit = run(dir, Duration.ofMinutes(2), redocly.toString(), "lint", "--config",
                tools.resolve("redocly.yaml").toString(), "--format", "json", document.toString());
        String output = Files.readString(dir.resolve("redocly.out"));
        assertThat(output).as("redocly lint output").contains("\"totals\"");
        Files.writeString(report, output.substring(output.indexOf('{')));
        com.fasterxml.jackson.databind.JsonNode totals = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(report.toFile()).path("totals");
        assertThat(totals.path("errors").asInt(-1)).as("Redocly errors (%s)", report).isZero();
        assertThat(totals.path("warnings").asInt(-1)).as("Redocly warnings (%s)", report).isZero();
        assertThat(exit).as("redocly lint exit code").isZero();
    }

    private static int run(Path dir, Duration limit, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(command[0].endsWith("npm") ? "npm-ci.log" : "redocly.out").toFile())
                .start();
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + limit);
        }
        return process.exitValue();
    }

    private Map<String, Operation> operations() {
        Map<String, Operation> all = new java.util.LinkedHashMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, op) -> all.put(method + " " + path, op)));
        assertThat(all).hasSizeGreaterThan(25);
        return all;
    }
}
