package io.cloudops.api.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.junit.jupiter.api.Test;

import io.cloudops.api.CloudOpsMain;
import io.cloudops.api.testsupport.Fixtures;
import io.cloudops.api.testsupport.HubClient;
import io.cloudops.api.testsupport.OidcModeProfile;
import io.cloudops.api.testsupport.OidcTokens;
import io.cloudops.common.security.Roles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of the application, from the application itself (the Jandex index of its classes:
 * each JAX-RS resource method, console pages included, and each WebSocket endpoint), must declare
 * its rule ({@code @RolesAllowed}, {@code @PermitAll} or {@code @DenyAll}, on the method or the
 * class), and the rule must be the product's (PRODUCT.md section 7): viewer reads everything except
 * secrets; operator also runs operations, cancels and retries tasks; admin also manages projects,
 * environments, settings (test notifications included) and dead letters and reads the audit log. Then each route is called as
 * anonymous, viewer, operator and admin: allowed calls never answer 401/403, calls below the rule
 * answer 403 (anonymous: 401 on the API, the provider's sign-in for pages), nothing answers 5xx.
 * The role x route matrix is written to {@code target/route-matrix.md}. A new endpoint without a
 * rule, or with the wrong one, fails the build here.
 */
@QuarkusTest
@TestProfile(OidcModeProfile.class)
class RouteTableTest {

    private static final DotName PATH = DotName.createSimple(jakarta.ws.rs.Path.class);
    private static final DotName WEB_SOCKET = DotName.createSimple(io.quarkus.websockets.next.WebSocket.class);
    private static final DotName ROLES_ALLOWED = DotName.createSimple(RolesAllowed.class);
    private static final DotName PERMIT_ALL = DotName.createSimple(PermitAll.class);
    private static final DotName DENY_ALL = DotName.createSimple(DenyAll.class);
    private static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
    private static final String ANYONE = "anyone";
    private static final String DENIED = "nobody";
    private static final List<String> CALLERS = List.of("anonymous", Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN);
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z]+)(?:\\s*:[^}]*)?}");

    /** One route: an HTTP method (WS for a socket) and path, its declared rule, where it is declared. */
    record Route(String method, String path, Optional<String> declared, String declaredAt) {

        boolean socket() {
            return method.equals("WS");
        }

        boolean page() {
            return !socket() && AccessRefusals.isPage(path);
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void everyRouteDeclaresTheProductsRuleAndAnswersEachRoleAccordingly() throws Exception {
        List<Route> routes = routes();
        assertThat(routes).as("routes found in the application's classes").hasSizeGreaterThan(40);
        assertThat(routes.stream().filter(r -> r.declared().isEmpty()).map(r -> r.method() + " " + r.path() + " ("
                + r.declaredAt() + ")")).as("routes without @RolesAllowed/@PermitAll/@DenyAll").isEmpty();

        Fixture fixture = new Fixture(
                given().auth().oauth2(OidcTokens.forRole(Roles.ADMIN)).contentType(ContentType.JSON)
                        .body(Map.of("name", Fixtures.uniqueName("routes"))).post("/api/projects").then()
                        .statusCode(201).extract().path("id"),
                given().auth().oauth2(OidcTokens.forRole(Roles.OPERATOR)).contentType(ContentType.JSON)
                        .body(Map.of("entityId", "diag/routes-" + UUID.randomUUID(), "steps", 1, "stepMillis", 0))
                        .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId"));
        Csrf csrf = Csrf.of(given().auth().oauth2(OidcTokens.forRole(Roles.VIEWER)).get("/settings"));

        List<String> failures = new ArrayList<>();
        StringBuilder matrix = new StringBuilder(
                "| Method | Route | Declared | Product rule | anonymous | viewer | operator | admin |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
        for (Route route : routes) {
            String rule = productRule(route);
            String declared = route.declared().orElseThrow();
            boolean inPageCheck = route.page() && !route.method().equals("GET") && declared.equals(Roles.VIEWER)
                    && !rule.equals(Roles.VIEWER);
            if (!declared.equals(rule) && !inPageCheck) {
                failures.add(route.method() + " " + route.path() + " declares " + declared + " at " + route.declaredAt()
                        + " but the product rule is " + rule);
            }
            matrix.append("| ").append(route.method()).append(" | `").append(shown(route.path())).append("` | ")
                    .append(declared).append(inPageCheck ? " + in-page " + rule + " check" : "").append(" | ")
                    .append(rule).append(" |");
            for (String caller : CALLERS) {
                String outcome = route.socket() ? callSocket(route, caller) : call(route, caller, fixture, csrf);
                matrix.append(' ').append(outcome).append(" |");
                check(route, rule, caller, outcome).ifPresent(failures::add);
            }
            matrix.append('\n');
        }
        String table = "# Role x route matrix\n\nGenerated by RouteTableTest (OIDC mode, bearer tokens per role; "
                + "`302 sign-in` is the redirect to the provider's authorization endpoint, `101` an accepted WebSocket "
                + "upgrade). Allowed calls may answer 4xx for the harmless ids and bodies the test sends.\n\n" + matrix;
        Files.writeString(Path.of("target", "route-matrix.md"), table);
        System.out.println(table);
        assertThat(failures).as("routes whose rule or answers differ from the product's rules").isEmpty();
    }

    /** The product's rule for a route (PRODUCT.md section 7, issue 15). */
    static String productRule(Route route) {
        String path = route.path();
        String bare = path.startsWith("/api/") ? path.substring(4) : path;
        if (path.contains("{any")) {
            return ANYONE; // the catch-all that answers unknown /api routes with a 404 problem
        }
        if (path.equals("/settings/role") || path.equals("/settings/user")) {
            return ANYONE; // demo mode's role and user switchers: 404 outside demo mode
        }
        if (bare.startsWith("/audit")) {
            return Roles.ADMIN;
        }
        if (route.socket() || route.method().equals("GET")) {
            return Roles.VIEWER; // nothing readable holds a secret (webhook URLs are masked)
        }
        if (bare.equals("/cost/estimate") || path.equals("/cost")) {
            return Roles.VIEWER; // a price calculation changes nothing
        }
        if (bare.startsWith("/queue/") || path.startsWith("/dashboard/queue/")) {
            return Roles.ADMIN; // pause and resume queues, maintenance (docs/change-safety.md)
        }
        if (bare.startsWith("/schedules") || path.startsWith("/schedules")) {
            return Roles.ADMIN; // a schedule acts later on its own (docs/change-safety.md, "Schedules")
        }
        if (path.endsWith("/redeploy")) {
            return Roles.OPERATOR; // a deployment like any other (the environment is not changed as a record)
        }
        if (bare.startsWith("/dlq") || path.startsWith("/settings") || path.startsWith("/api/projects")
                || path.startsWith("/api/environments") || bare.startsWith("/notifications")) {
            return Roles.ADMIN;
        }
        return Roles.OPERATOR; // operations, task cancel/retry, sandboxes
    }

    private static Optional<String> check(Route route, String rule, String caller, String outcome) {
        String where = route.method() + " " + route.path() + " as " + caller + ": " + outcome;
        if (outcome.startsWith("5")) {
            return Optional.of(where + " (a 5xx)");
        }
        boolean allowed = rule.equals(ANYONE) || !caller.equals("anonymous") && !rule.equals(DENIED)
                && Roles.including(caller).contains(rule);
        boolean refused = outcome.startsWith("401") || outcome.startsWith("403") || outcome.equals("302 sign-in");
        if (allowed) {
            return refused ? Optional.of(where + " (refused, but " + caller + " may)") : Optional.empty();
        }
        String expected = caller.equals("anonymous") ? route.page() ? "302 sign-in" : "401" : "403";
        return outcome.startsWith(expected)
                ? Optional.empty()
                : Optional.of(where + " (expected " + expected + ": the rule is " + rule + ")");
    }

    private String call(Route route, String caller, Fixture fixture, Csrf csrf) {
        RequestSpecification request = given().redirects().follow(false);
        if (!caller.equals("anonymous")) {
            request.auth().oauth2(OidcTokens.forRole(caller));
        }
        if (route.page() && !route.method().equals("GET")) {
            request.contentType(ContentType.URLENC).cookie(csrf.cookie(), csrf.value()).formParam("csrf-token",
                    csrf.value());
        } else if (route.method().equals("POST") || route.method().equals("PUT") || route.method().equals("PATCH")) {
            request.contentType(ContentType.JSON).body("{}");
        }
        Response response = request.request(route.method(), fill(route.path(), fixture));
        int status = response.statusCode();
        if (status == 302 && String.valueOf(response.header("Location")).startsWith(keycloakUrl())) {
            return "302 sign-in";
        }
        return Integer.toString(status);
    }

    private String callSocket(Route route, String caller) throws Exception {
        Map<String, String> headers = caller.equals("anonymous")
                ? Map.of()
                : Map.of("Authorization", "Bearer " + OidcTokens.forRole(caller));
        try (HubClient hub = HubClient.connect(HttpClient.newHttpClient(), base.getHost(), base.getPort(),
                route.path(), headers)) {
            return hub == null ? "?" : "101";
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return Integer.toString(refused.getResponse().statusCode());
            }
            throw e;
        }
    }

    /** The path as people write it: {@code {name}} without its regex, {@code :} for the custom-method colon. */
    private static String shown(String path) {
        return path.replaceAll("\\{colon:[^}]*}", ":").replaceAll("\\{([A-Za-z]+)\\s*:[^}]*}", "{$1}");
    }

    /** The path with harmless values: unknown ids (404 when allowed), except where the page needs a real one. */
    private static String fill(String path, Fixture fixture) {
        Matcher m = PARAM.matcher(path);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                // pages show the task or project they act on (also when refusing): give them a real one; the
                // API gets unknown ids, so that an allowed call changes nothing (a 404)
                case "id" -> path.startsWith("/tasks/")
                        ? fixture.task()
                        : path.startsWith("/projects/") || path.startsWith("/settings/projects/")
                                ? fixture.project()
                                : UUID.randomUUID().toString();
                case "envId", "taskId" -> UUID.randomUUID().toString();
                case "engine" -> "azure-postgres";
                case "instanceId" -> "route-table";
                case "ns" -> "route-table";
                case "name" -> "web";
                case "action" -> "diagnostic";
                case "any" -> "route-table-probe";
                case "token" -> "not-an-action-link";
                case "colon" -> ":";
                default -> throw new AssertionError("no harmless value for {" + m.group(1) + "} in " + path
                        + ": add one to RouteTableTest.fill");
            };
            m.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        m.appendTail(filled);
        return filled.toString();
    }

    /** A project and a (short, finished or finishing) task for the pages that show what they act on. */
    record Fixture(String project, String task) {
    }

    /** The CSRF cookie and form token of a console page (double submit: the same value in both). */
    record Csrf(String cookie, String value) {
        static Csrf of(Response page) {
            Matcher m = CSRF_FIELD.matcher(page.asString());
            assertThat(m.find()).as("the settings page carries a CSRF token").isTrue();
            return new Csrf("cloudops-csrf", page.cookie("cloudops-csrf") == null
                    ? m.group(1)
                    : page.cookie("cloudops-csrf"));
        }
    }

    /** Every JAX-RS resource method and WebSocket endpoint in the application's classes. */
    static List<Route> routes() throws IOException {
        Index index = index();
        List<Route> routes = new ArrayList<>();
        for (AnnotationInstance path : index.getAnnotations(PATH)) {
            if (path.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            ClassInfo resource = path.target().asClass();
            for (MethodInfo method : resource.methods()) {
                for (String http : HTTP_METHODS) {
                    if (method.hasDeclaredAnnotation(DotName.createSimple("jakarta.ws.rs." + http))) {
                        AnnotationInstance sub = method.declaredAnnotation(PATH);
                        String full = join(path.value().asString(), sub == null ? "" : sub.value().asString());
                        routes.add(new Route(http, full, rule(method).or(() -> rule(resource)),
                                resource.simpleName() + "#" + method.name()));
                    }
                }
            }
        }
        for (AnnotationInstance socket : index.getAnnotations(WEB_SOCKET)) {
            ClassInfo endpoint = socket.target().asClass();
            routes.add(new Route("WS", socket.value("path").asString(), rule(endpoint), endpoint.simpleName()));
        }
        routes.sort(Comparator.comparing(Route::path).thenComparing(Route::method));
        return routes;
    }

    private static Optional<String> rule(MethodInfo method) {
        return rule(method.declaredAnnotation(ROLES_ALLOWED), method.hasDeclaredAnnotation(PERMIT_ALL),
                method.hasDeclaredAnnotation(DENY_ALL));
    }

    private static Optional<String> rule(ClassInfo type) {
        return rule(type.declaredAnnotation(ROLES_ALLOWED), type.hasDeclaredAnnotation(PERMIT_ALL),
                type.hasDeclaredAnnotation(DENY_ALL));
    }

    private static Optional<String> rule(AnnotationInstance rolesAllowed, boolean permitAll, boolean denyAll) {
        if (rolesAllowed != null) {
            String[] roles = rolesAllowed.value().asStringArray();
            // nested roles: the least privileged role named is the rule
            return Roles.ALL.stream().filter(List.of(roles)::contains).findFirst()
                    .or(() -> Optional.of(String.join(",", roles)));
        }
        return permitAll ? Optional.of(ANYONE) : denyAll ? Optional.of(DENIED) : Optional.empty();
    }

    private static String join(String classPath, String methodPath) {
        String joined = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** The Jandex index of the application's own classes (control-api's target/classes). */
    private static Index index() throws IOException {
        Path classes = Path.of("target", "classes");
        assertThat(classes.resolve(CloudOpsMain.class.getName().replace('.', '/') + ".class"))
                .as("the application's compiled classes").isRegularFile();
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                try (InputStream in = Files.newInputStream(f)) {
                    indexer.index(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return indexer.complete();
    }

    private static String keycloakUrl() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("keycloak.url", String.class);
    }

}
