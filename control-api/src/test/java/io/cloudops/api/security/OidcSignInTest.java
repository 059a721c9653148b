package io.cloudops.api.security;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.HubClient;
import io.cloudops.api.testsupport.OidcModeProfile;
import io.cloudops.api.testsupport.OidcTokens;
import io.cloudops.api.testsupport.ProblemAssertions;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Production sign-in ({@code DEMO_MODE=false}) against Quarkus' WireMock OIDC provider: bearer
 * tokens per role with the provider's role names mapped through {@code OIDC_ROLE_MAP} from a nested
 * claim, a token without an accepted role refused with the accepted ones named, anonymous API and
 * live requests answered 401 (never a redirect), anonymous pages sent to the provider's sign-in,
 * and the demo header and cookie ignored.
 */
@QuarkusTest
@TestProfile(OidcModeProfile.class)
class OidcSignInTest {

    @TestHTTPResource("/")
    URL base;

    private static RequestSpecification as(String role) {
        return given().auth().oauth2(OidcTokens.forRole(role));
    }

    @Test
    void eachRoleDoesWhatItsTokenRoleGrantsAndWhatTheRolesBelowItMay() {
        String body = "{\"entityId\":\"diag/oidc-" + UUID.randomUUID() + "\",\"steps\":1,\"stepMillis\":0}";
        as("viewer").get("/api/projects").then().statusCode(200);
        ProblemAssertions.assertProblem(as("viewer").contentType(ContentType.JSON).body(body)
                .post("/api/tasks/diagnostic"), 403);

        as("operator").get("/api/projects").then().statusCode(200);
        as("operator").contentType(ContentType.JSON).body(body).post("/api/tasks/diagnostic").then().statusCode(202);
        String project = "{\"name\":\"oidc-" + UUID.randomUUID().toString().substring(0, 8) + "\"}";
        ProblemAssertions.assertProblem(as("operator").contentType(ContentType.JSON).body(project)
                .post("/api/projects"), 403);

        as("admin").contentType(ContentType.JSON).body(project).post("/api/projects").then().statusCode(201);
        as("admin").get("/api/dlq").then().statusCode(200);
    }

    @Test
    void aTokenWithoutAnAcceptedRoleIsRefusedWithTheAcceptedRolesNamed() {
        // "admin" in the top-level roles claim is not where this server reads roles; Other.Role is not mapped
        String token = OidcTokens.withClaims(Map.of("preferred_username", "mallory", "sub", "sub-mallory",
                "roles", List.of("admin"), "resource_access",
                Map.of("cloudops", Map.of("roles", List.of("Other.Role")))));
        given().auth().oauth2(token).get("/api/projects").then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString("none of the roles this server accepts"),
                        containsString(OidcModeProfile.ROLES_CLAIM),
                        containsString(
                                "CloudOps.Viewer (viewer), CloudOps.Operator (operator), CloudOps.Admin (admin)"),
                        containsString("Your token has: Other.Role")));
        // the console says the same on a page
        given().auth().oauth2(token).get("/tasks").then().statusCode(403).contentType(ContentType.HTML)
                .body(containsString("signed in as mallory"), containsString("CloudOps.Viewer (viewer)"));
    }

    @Test
    void theNameShownIsReadableAndPagesAcceptBearerTokens() {
        as("viewer").get("/").then().statusCode(200).contentType(ContentType.HTML)
                .body(containsString("aria-label=\"Signed in as viewer-user with role viewer\""),
                        containsString("aria-label=\"Sign out\""), not(containsString("aria-label=\"Demo mode\"")));
        // no preferred_username or upn (an Entra v2 access token): the name claim, not the subject id
        String entra = OidcTokens.withClaims(Map.of("sub", "AAAAbbbbCCCC", "name", "Ada Lovelace",
                "resource_access", Map.of("cloudops", Map.of("roles", List.of("CloudOps.Operator")))));
        given().auth().oauth2(entra).get("/").then().statusCode(200)
                .body(containsString("aria-label=\"Signed in as Ada Lovelace with role operator\""));
    }

    @Test
    void anonymousAndInvalidRequestsToTheApiAndTheLiveEndpointsAre401ProblemsNeverARedirect() {
        ProblemAssertions.assertProblem(given().redirects().follow(false).get("/api/projects"), 401);
        ProblemAssertions.assertProblem(given().redirects().follow(false).accept("text/event-stream")
                .get("/api/tasks/{id}/sse", UUID.randomUUID()), 401);
        ProblemAssertions.assertProblem(given().redirects().follow(false).auth().oauth2("not-a-token")
                .get("/api/projects"), 401);
        ProblemAssertions.assertProblem(given().redirects().follow(false).contentType(ContentType.JSON).body("{}")
                .post("/api/tasks/diagnostic"), 401);
    }

    @Test
    void theLiveHubRefusesTheUpgradeWithoutATokenAndAcceptsAViewer() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        assertThatThrownBy(() -> HubClient.connect(http, base.getHost(), base.getPort(), "/hubs/tasks").close())
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(401));
        try (HubClient hub = HubClient.connect(http, base.getHost(), base.getPort(), "/hubs/tasks",
                Map.of("Authorization", "Bearer " + OidcTokens.forRole("viewer")))) {
            assertThat(hub).isNotNull();
        }
    }

    @Test
    void anAnonymousPageVisitGoesToTheProvidersSignInAndComesBackToThePage() {
        String location = given().redirects().follow(false).get("/tasks?status=failed").then().statusCode(302)
                .extract().header("Location");
        assertThat(location).startsWith(keycloakUrl() + "/realms/quarkus")
                .contains("client_id=" + OidcModeProfile.CLIENT_ID).contains("response_type=code")
                .contains("redirect_uri=" + java.net.URLEncoder.encode(base.toString(),
                        java.nio.charset.StandardCharsets.UTF_8));
        // an htmx fragment request cannot follow that redirect: the page reloads instead
        given().redirects().follow(false).header("HX-Request", "true").get("/dashboard/live").then()
                .statusCode(401).header("HX-Refresh", "true");
    }

    @Test
    void theDemoHeaderAndCookieAreIgnored() {
        ProblemAssertions.assertProblem(given().header(DemoAuthenticationMechanism.ROLE_HEADER, "admin")
                .get("/api/projects"), 401);
        ProblemAssertions.assertProblem(given().cookie(DemoAuthenticationMechanism.ROLE_COOKIE, "admin")
                .get("/api/projects"), 401);
        ProblemAssertions.assertProblem(as("viewer").header(DemoAuthenticationMechanism.ROLE_HEADER, "admin")
                .cookie(DemoAuthenticationMechanism.ROLE_COOKIE, "admin").contentType(ContentType.JSON)
                .body("{\"name\":\"demo-header\"}").post("/api/projects"), 403);
        given().redirects().follow(false).cookie(DemoAuthenticationMechanism.ROLE_COOKIE, "admin").get("/")
                .then().statusCode(302).header("Location", startsWith(keycloakUrl()));
    }

    private static String keycloakUrl() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("keycloak.url", String.class);
    }
}
