package io.cloudops.api.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        assertThat(api.getOpenapi()).startsWith("3.0.");
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
                assertThat(tooMany.getHeaders().get("Retry-After").getSchema().getType()).isEqualTo("integer");
            }
        });
        assertThat(limited).containsExactlyInAnyOrder("createDeployment", "createSandbox", "backupDatabase",
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
            assertThat(freeForm.getType()).isEqualTo("object");
            assertThat(freeForm.getProperties()).isNull();
            assertThat(freeForm.getAdditionalProperties()).isEqualTo(Boolean.TRUE);
        }
        // the API writes missing values as null: such a property says so
        assertThat(task.get("finishedAt").getNullable()).isTrue();
        // (a reference cannot say so in OpenAPI 3.0: the schema it points to is nullable)
        assertThat(task.get("error").get$ref()).isEqualTo("#/components/schemas/TaskError");
        assertThat(api.getComponents().getSchemas().get("TaskError").getNullable()).isTrue();
    }

    private Map<String, Operation> operations() {
        Map<String, Operation> all = new java.util.LinkedHashMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, op) -> all.put(method + " " + path, op)));
        assertThat(all).hasSizeGreaterThan(25);
        return all;
    }
}
