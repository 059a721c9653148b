package io.cloudops.api.problem;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.testsupport.AbuseLimitsProfile;
import io.cloudops.api.testsupport.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hostile-input suite at volume: thousands of mutated requests (fixed random seed, so a failure
 * replays) across every mutating operation of the served OpenAPI document, so a new endpoint is
 * fuzzed as soon as it is declared. Each request starts from a valid seed body (hand-made for the
 * known operations, built from the schema for any other) and valid path parameters, then gets one or
 * two mutations: a value replaced by hostile text or numbers (NUL, unpaired surrogates, RTL
 * overrides, zero-width characters, script, path traversal, huge strings, int and long overflows,
 * 1e308, -0.0), a field dropped or added, a hostile key, a hostile path parameter, or a body that is
 * no object at all (truncated, deeply nested, a bare value). Every answer must be below 500, and
 * every 4xx of {@code /api} a problem document. Rate-limited task endpoints answer 429 once their
 * burst is used up, which is an answer like any other.
 */
@QuarkusTest
@TestProfile(AbuseLimitsProfile.class)
class HostileInputVolumeTest {

    private static final Logger LOG = Logger.getLogger(HostileInputVolumeTest.class);
    private static final long SEED = 20_261_202L;
    private static final int REQUESTS = Integer.getInteger("hostile.volume.requests", 4000);
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private static final List<Function<Random, JsonNode>> HOSTILE_VALUES = List.of(
            r -> NODES.textNode("\u0000"), r -> NODES.textNode("a\u0000b"), r -> NODES.textNode("\uD800"),
            r -> NODES.textNode("x\uDC00"), r -> NODES.textNode("\uDC00\uD800"), r -> NODES.textNode("\u202Eexe.txt"),
            r -> NODES.textNode("zero\u200Bwidth\u200D\uFEFF"), r -> NODES.textNode("<script>alert(1)</script>"),
            r -> NODES.textNode("\"><img src=x onerror=alert(1)>"), r -> NODES.textNode("../../../../etc/passwd"),
            r -> NODES.textNode("..\\..\\windows\\win.ini"), r -> NODES.textNode("%00"), r -> NODES.textNode(""),
            r -> NODES.textNode("   "), r -> NODES.textNode("null"), r -> NODES.textNode("\uD83D\uDCA5"),
            r -> NODES.textNode("x".repeat(1 + r.nextInt(200_000))), r -> NODES.textNode("'; drop table task; --"),
            r -> NODES.textNode("00000000-0000-0000-0000-000000000000"),
            r -> NODES.textNode(UUID.randomUUID().toString()),
            r -> NODES.numberNode(-1), r -> NODES.numberNode(0), r -> NODES.numberNode(1),
            r -> NODES.numberNode(Integer.MAX_VALUE), r -> NODES.numberNode(2_147_483_648L),
            r -> NODES.numberNode(-2_147_483_649L), r -> NODES.numberNode(Long.MAX_VALUE),
            r -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
            r -> NODES.numberNode(1e308), r -> NODES.numberNode(-1e308), r -> NODES.numberNode(1.5),
            r -> NODES.numberNode(-0.0), r -> NODES.booleanNode(true), r -> NODES.nullNode(), r -> NODES.objectNode(),
            r -> NODES.arrayNode(), r -> NODES.arrayNode().add("\u0000").add(7),
            r -> NODES.objectNode().put("\u0000", 1), r -> NODES.objectNode().put("\uD800", "v"));
    private static final List<String> HOSTILE_KEYS = List.of("\u0000", "a\u0000", "\uD800", "__proto__", "constructor",
            "k".repeat(5000), "\u202E", "", "simulate", "params");
    private static final List<String> HOSTILE_BODIES = List.of("", "null", "[]", "\"text\"", "5", "true", "{",
            "{\"a\":", "{\"entityId\":\"\\u0000\"}", "{\"name\":\"\\ud800\"}", "[".repeat(2000) + "]".repeat(2000),
            "{\"a\":".repeat(1500) + "1" + "}".repeat(1500), "{\"a\":1,\"a\":2}", "\uFEFF{}", "{'a':1}",
            "{\"a\":NaN}", "{\"a\":1e99999}");
    private static final List<String> HOSTILE_PATH = List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%00", "a%00b",
            "%ED%A0%80", "%F0%9F%92%A5", "x".repeat(3000), "%E2%80%AE", "null", "-1", "99999999999999999999",
            "00000000-0000-0000-0000-000000000000", "%3Cscript%3E", "a%2Fb", "%20");

    @TestHTTPResource("/")
    URL base;

    private record Endpoint(String method, String path, String operationId, JsonNode bodySchema) {
    }

    @Test
    void thousandsOfMutatedRequestsAcrossEveryMutatingOperationGetNo5xx() throws Exception {
        JsonNode api = JSON.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        List<Endpoint> endpoints = mutatingOperations(api);
        assertThat(endpoints).extracting(Endpoint::operationId).contains("createDiagnosticTask", "createProject",
                "cancelTask", "skipDeadLetter", "restartWorkload", "deleteProject");
        Map<String, List<String>> ids = fixtures();
        Map<String, JsonNode> seeds = seeds(ids);

        Random random = new Random(SEED);
        Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            for (int i = 0; i < REQUESTS; i++) {
                Endpoint endpoint = endpoints.get(i % endpoints.size());
                boolean pristine = i < endpoints.size(); // the first round: the seeds as they are
                String path = fill(endpoint, ids, random, pristine);
                String body = body(endpoint, seeds, api, random, pristine);
                HttpRequest.Builder request = HttpRequest
                        .newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                        .timeout(Duration.ofSeconds(30));
                HttpRequest.BodyPublisher publisher = body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
                if (body != null) {
                    request.header("Content-Type", "application/json");
                }
                if (random.nextInt(10) == 0) {
                    request.header("Idempotency-Key", "vol-" + random.nextInt(50));
                }
                HttpResponse<String> answer = http.send(request.method(endpoint.method(), publisher).build(),
                        HttpResponse.BodyHandlers.ofString());
                statuses.computeIfAbsent(endpoint.operationId(), k -> new TreeMap<>()).merge(answer.statusCode(), 1,
                        Integer::sum);
                String type = answer.headers().firstValue("Content-Type").orElse("");
                if (answer.statusCode() >= 500
                        || (answer.statusCode() >= 400 && !type.startsWith("application/problem+json"))) {
                    failures.add(endpoint.method() + " " + path + " " + abbreviate(body) + " -> " + answer.statusCode()
                            + " " + type + " " + abbreviate(answer.body()));
                }
            }
        }
        LOG.infof("%d mutated requests in %.1f s (seed %d); statuses per operation: %s", REQUESTS,
                (System.nanoTime() - start) / 1e9, SEED, statuses);
        assertThat(failures).as("answers of 5xx, or 4xx that are no problem document").isEmpty();
        assertThat(statuses.keySet()).as("every mutating operation was called")
                .containsAll(endpoints.stream().map(Endpoint::operationId).toList());
        assertThat(statuses.values().stream().flatMap(m -> m.keySet().stream()).filter(s -> s < 300).count())
                .as("some mutated requests are still valid and accepted").isPositive();
    }

    /** Every POST, PUT, PATCH and DELETE of the document, with its request body schema (refs resolved). */
    private static List<Endpoint> mutatingOperations(JsonNode api) {
        List<Endpoint> endpoints = new ArrayList<>();
        api.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
            if (List.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
                JsonNode schema = op.getValue().path("requestBody").path("content").path("application/json")
                        .path("schema");
                endpoints.add(new Endpoint(method, path.getKey(), op.getValue().path("operationId").asText(),
                        schema.isMissingNode() ? null : resolve(api, schema)));
            }
        }));
        return endpoints;
    }

    /** Test data the seeds and path parameters refer to: projects, environments, tasks, a dead letter, a backup. */
    private static Map<String, List<String>> fixtures() {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        String project = Fixtures.createProject(Fixtures.uniqueName("vol"));
        String env = Fixtures.createEnvironment(project, "dev", "dev");
        List<String> victims = new ArrayList<>();
        List<String> victimEnvs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String victim = Fixtures.createProject(Fixtures.uniqueName("victim"));
            victims.add(victim);
            victimEnvs.add(Fixtures.createEnvironment(victim, "dev", "dev"));
        }
        String sandbox = given().contentType(ContentType.JSON).body(Map.of("projectId", project, "ttlMinutes", 600))
                .post("/api/sandboxes").then().statusCode(202).extract().path("environmentId");
        String task = diagnostic("vol/ok", "never");
        String dead = diagnostic("vol/dlq", "always");
        String deadLetter = await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/dlq?size=200")
                .then().statusCode(200).extract().<String>path("items.find { it.taskId == '" + dead + "' }.id"),
                id -> id != null);
        String backup = given().post("/api/db/azure-postgres/orders-vol/backup").then().statusCode(202).extract()
                .path("taskId");
        String artifact = await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/tasks/{id}", backup)
                .then().statusCode(200).extract().<String>path("artifacts[0].id"), id -> id != null);
        ids.put("project", List.of(project));
        ids.put("env", List.of(env));
        ids.put("projects", victims); // what DELETE may remove
        ids.put("environments", victimEnvs);
        ids.put("sandboxes", List.of(sandbox));
        ids.put("tasks", List.of(task, dead));
        ids.put("dlq", List.of(deadLetter));
        ids.put("artifact", List.of(artifact));
        return ids;
    }

    private static String diagnostic(String entity, String fail) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("entityId", entity + "/" + UUID.randomUUID(), "steps", 1, "stepMillis", 0, "fail", fail))
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
    }

    /** Valid bodies of the operations this test knows; any other gets one built from its schema. */
    private static Map<String, JsonNode> seeds(Map<String, List<String>> ids) throws Exception {
        String project = ids.get("project").getFirst();
        String env = ids.get("env").getFirst();
        Map<String, String> seeds = Map.ofEntries(
                Map.entry("createDiagnosticTask",
                        "{\"entityId\":\"vol/e1\",\"steps\":1,\"stepMillis\":0,\"fail\":\"never\"}"),
                Map.entry("createProject",
                        "{\"name\":\"vol-new\",\"description\":\"d\",\"emailRecipients\":[\"a@example.com\"]}"),
                Map.entry("updateProject", "{\"name\":\"vol-upd\",\"description\":\"d\",\"emailRecipients\":[]}"),
                Map.entry("createEnvironment", "{\"name\":\"qa\",\"type\":\"sandbox\",\"ttlMinutes\":60}"),
                Map.entry("createDeployment", "{\"projectId\":\"" + project + "\",\"envId\":\"" + env
                        + "\",\"templateId\":\"web-app\",\"params\":{\"image\":\"nginx:1.27\",\"replicas\":1}}"),
                Map.entry("createSandbox", "{\"projectId\":\"" + project + "\",\"ttlMinutes\":30,\"params\":{}}"),
                Map.entry("extendSandbox", "{\"ttlMinutes\":5}"),
                Map.entry("backupDatabase", "{}"),
                Map.entry("restoreDatabase",
                        "{\"artifactId\":\"" + ids.get("artifact").getFirst() + "\",\"target\":\"orders_copy\"}"),
                Map.entry("restartWorkload", "{\"params\":{}}"),
                Map.entry("estimateCost",
                        "{\"currency\":\"USD\",\"resources\":[{\"kind\":\"vm\",\"sku\":\"Standard_D2s_v5\","
                                + "\"region\":\"westeurope\",\"hours\":730,\"quantity\":2}]}"));
        Map<String, JsonNode> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> seed : seeds.entrySet()) {
            parsed.put(seed.getKey(), JSON.readTree(seed.getValue()));
        }
        return parsed;
    }

    private static String fill(Endpoint endpoint, Map<String, List<String>> ids, Random random, boolean pristine) {
        Matcher params = PARAM.matcher(endpoint.path());
        StringBuilder path = new StringBuilder();
        while (params.find()) {
            String value = !pristine && random.nextInt(5) == 0
                    ? HOSTILE_PATH.get(random.nextInt(HOSTILE_PATH.size()))
                    : URLEncoder.encode(validParam(endpoint, params.group(1), ids, random), StandardCharsets.UTF_8);
            params.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        params.appendTail(path);
        return path.toString();
    }

    private static String validParam(Endpoint endpoint, String name, Map<String, List<String>> ids, Random random) {
        switch (name) {
            case "engine" :
                return "azure-postgres";
            case "instanceId" :
                return "orders-vol";
            case "ns" :
                return "shop-prod";
            case "name" :
                return "web";
            default :
        }
        String collection = endpoint.path().replaceFirst("^/api/([^/]+).*", "$1");
        List<String> pool = "DELETE".equals(endpoint.method()) || !"projects".equals(collection)
                ? ids.get(collection)
                : ids.get("project");
        return pool == null ? UUID.randomUUID().toString() : pool.get(random.nextInt(pool.size()));
    }

    private static String body(Endpoint endpoint, Map<String, JsonNode> seeds, JsonNode api, Random random,
            boolean pristine) throws Exception {
        if (endpoint.bodySchema() == null && seeds.get(endpoint.operationId()) == null) {
            return pristine || random.nextInt(3) > 0 ? null : HOSTILE_BODIES.get(random.nextInt(HOSTILE_BODIES.size()));
        }
        JsonNode seed = seeds.containsKey(endpoint.operationId())
                ? seeds.get(endpoint.operationId()).deepCopy()
                : example(api, endpoint.bodySchema(), 0);
        if (pristine) {
            return JSON.writeValueAsString(seed);
        }
        if (random.nextInt(8) == 0) {
            return HOSTILE_BODIES.get(random.nextInt(HOSTILE_BODIES.size()));
        }
        JsonNode mutated = seed;
        for (int m = 0, n = 1 + random.nextInt(2); m < n; m++) {
            mutated = mutate(mutated, random);
        }
        return JSON.writeValueAsString(mutated);
    }

    /** One mutation somewhere in the tree: a value replaced, a field dropped or added, a hostile key. */
    private static JsonNode mutate(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return HOSTILE_VALUES.get(random.nextInt(HOSTILE_VALUES.size())).apply(random);
        }
        JsonNode target = containers.get(random.nextInt(containers.size()));
        JsonNode hostile = HOSTILE_VALUES.get(random.nextInt(HOSTILE_VALUES.size())).apply(random);
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            int action = random.nextInt(10);
            if (action < 6 && !names.isEmpty()) {
                object.set(names.get(random.nextInt(names.size())), hostile);
            } else if (action < 8 && !names.isEmpty()) {
                object.remove(names.get(random.nextInt(names.size())));
            } else {
                object.set(HOSTILE_KEYS.get(random.nextInt(HOSTILE_KEYS.size())), hostile);
            }
        } else if (target instanceof ArrayNode array) {
            if (!array.isEmpty() && random.nextBoolean()) {
                array.set(random.nextInt(array.size()), hostile);
            } else {
                array.add(hostile);
            }
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
                collect(it.next(), containers);
            }
        }
    }

    /** A valid-looking value of a schema: its example, its first enum value, or the simplest of its type. */
    private static JsonNode example(JsonNode api, JsonNode schema, int depth) {
        JsonNode resolved = resolve(api, schema);
        if (resolved.has("example")) {
            return resolved.get("example");
        }
        if (resolved.has("enum")) {
            return resolved.get("enum").get(0);
        }
        String type = resolved.path("type").isArray()
                ? resolved.path("type").get(0).asText()
                : resolved.path("type").asText("object");
        switch (type) {
            case "string" :
                return NODES.textNode("uuid".equals(resolved.path("format").asText())
                        ? UUID.randomUUID().toString()
                        : "x");
            case "integer" :
            case "number" :
                return NODES.numberNode(resolved.path("minimum").asLong(1));
            case "boolean" :
                return NODES.booleanNode(false);
            case "array" :
                return depth > 3
                        ? NODES.arrayNode()
                        : NODES.arrayNode().add(example(api, resolved.path("items"), depth + 1));
            default :
                ObjectNode object = NODES.objectNode();
                if (depth <= 3) {
                    resolved.path("properties").properties()
                            .forEach(p -> object.set(p.getKey(), example(api, p.getValue(), depth + 1)));
                }
                return object;
        }
    }

    private static JsonNode resolve(JsonNode api, JsonNode schema) {
        JsonNode current = schema;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            current = api.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "(no body)";
        }
        return text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + " chars)" : text;
    }
}
