package io.cloudops.api.websecurity;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Cross-site protection as a browser meets it (docs/operating.md, "Cross-site requests"): a
 * cross-site "simple" POST is refused with a 403 problem and changes nothing, the console's own
 * requests (CSRF token in X-CSRF-Token) and non-browser clients pass, the security headers are on
 * every kind of answer, CORS stays closed, the hub refuses foreign origins, and the cookies carry
 * HttpOnly and SameSite.
 */
@QuarkusTest
class CrossSiteProtectionTest {

    private static final String EVIL = "https://evil.example";
    private static final Pattern META_TOKEN = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

    @TestHTTPResource("/")
    URL base;

    @Test
    void aCrossSiteSimplePostIsRefusedWithAProblemAndChangesNothing() {
        UUID task = longTask();
        // what <form method=post action=.../cancel> on another site makes the browser send
        Response refused = given().header("Origin", EVIL).header("Sec-Fetch-Site", "cross-site")
                .contentType("text/plain").body("").post("/api/tasks/{id}/cancel", task);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("type")).isEqualTo("/problems/cross-site-request");
        assertThat(refused.jsonPath().getString("detail")).contains("Origin", "X-CSRF-Token", "cloudops-csrf",
                "bearer token");
        assertThat(refused.jsonPath().getList("errors.field")).containsExactly("X-CSRF-Token");
        // a browser without Origin (older ones) still sends the cookies: refused too
        given().cookie("cloudops-demo-role", "admin").post("/api/dlq/{id}/skip", UUID.randomUUID()).then()
                .statusCode(403);
        // the same with a form body, to the console
        given().header("Origin", EVIL).contentType("text/plain").body("x").post("/tasks/{id}/cancel", task).then()
                .statusCode(403);
        assertThat(status(task)).as("nothing was cancelled").isIn("queued", "running");
        given().post("/api/tasks/{id}/cancel", task).then().statusCode(202); // a program (no browser markers)
    }

    @Test
    void theConsolesOwnRequestsCarryTheTokenAndPass() {
        UUID task = longTask();
        Response page = given().get("/tasks/{id}", task);
        String cookie = page.getCookie("cloudops-csrf");
        Matcher meta = META_TOKEN.matcher(page.asString());
        assertThat(meta.find()).as("the page carries its CSRF token for the scripts").isTrue();
        String origin = base.getProtocol() + "://" + base.getAuthority();
        // htmx's request from the page: same origin, X-CSRF-Token from the meta tag, the cookie
        given().header("Origin", origin).header("Sec-Fetch-Site", "same-origin").header("HX-Request", "true")
                .header("X-CSRF-Token", meta.group(1)).cookie("cloudops-csrf", cookie)
                .contentType(ContentType.URLENC).formParam("unused", "1")
                .post("/tasks/{id}/cancel", task).then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "cancelled".equals(status(task)));
        // the same token on the API; a wrong one is refused
        UUID other = longTask();
        given().header("Origin", origin).header("X-CSRF-Token", "not-the-cookie").cookie("cloudops-csrf", cookie)
                .post("/api/tasks/{id}/cancel", other).then().statusCode(403);
        given().header("Origin", origin).header("X-CSRF-Token", meta.group(1)).cookie("cloudops-csrf", cookie)
                .post("/api/tasks/{id}/cancel", other).then().statusCode(202);
    }

    @Test
    void aBearerTokenOrTheDemoHeaderProvesTheRequestIsNoCrossSiteForm() {
        // neither can be added by another site's page without a CORS preflight, which is refused
        Response demo = given().header("Origin", EVIL).header("X-Demo-Role", "operator")
                .post("/api/tasks/{id}/cancel", longTask());
        assertThat(demo.statusCode()).isEqualTo(202);
        Response bearer = given().header("Origin", EVIL).header("Authorization", "Bearer some-token")
                .post("/api/tasks/{id}/cancel", UUID.randomUUID());
        assertThat(bearer.statusCode()).as("past the guard (the task does not exist)").isEqualTo(404);
        Response basic = given().header("Origin", EVIL).header("Authorization", "Basic YTpi")
                .post("/api/tasks/{id}/cancel", UUID.randomUUID());
        assertThat(basic.statusCode()).as("Basic credentials are ambient in browsers").isEqualTo(403);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        Map<String, Response> answers = Map.of(
                "page", given().get("/"),
                "api", given().get("/api/tasks"),
                "api problem", given().get("/api/tasks/{id}", UUID.randomUUID()),
                "static file", given().get("/css/olympus.css"),
                "script", given().get("/js/console.js"),
                "refused", given().header("Origin", EVIL).post("/api/tasks/{id}/retry", UUID.randomUUID()),
                "unknown route", given().get("/no/such/page"));
        answers.forEach((what, answer) -> {
            String csp = answer.header("Content-Security-Policy");
            assertThat(csp).as(what).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
                    "frame-ancestors 'none'", "object-src 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(answer.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
            assertThat(answer.header("Referrer-Policy")).as(what).isEqualTo("same-origin");
            assertThat(answer.header("X-Frame-Options")).as(what).isEqualTo("DENY");
        });
        // no template carries inline script or style, and htmx is told not to inject its own
        String page = given().get("/").asString();
        assertThat(page).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContain("style=", "<style");
        assertThat(page).contains("\"includeIndicatorStyles\":false", "\"allowEval\":false");
    }

    @Test
    void corsIsClosedAPreflightFromAnotherOriginGetsNoAllowHeaders() {
        Response preflight = given().header("Origin", EVIL).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-demo-role,content-type")
                .options("/api/tasks/{id}/cancel", UUID.randomUUID());
        assertThat(preflight.headers().asList())
                .noneMatch(h -> h.getName().toLowerCase().startsWith("access-control-"));
        Response read = given().header("Origin", EVIL).get("/api/tasks");
        assertThat(read.header("Access-Control-Allow-Origin")).as("another site's script cannot read").isNull();
    }

    @Test
    void theHubRefusesAForeignOriginAndAcceptsItsOwnAndNonBrowsers() throws Exception {
        URI hub = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/hubs/tasks");
        try (HttpClient http = HttpClient.newHttpClient()) {
            WebSocket.Listener quiet = new WebSocket.Listener() {
            };
            assertThatThrownBy(() -> http.newWebSocketBuilder().header("Origin", EVIL).buildAsync(hub, quiet).join())
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                            .isEqualTo(403));
            String own = "http://" + base.getHost() + ":" + base.getPort();
            for (List<String> origin : List.of(List.of("Origin", own), List.<String>of())) {
                WebSocket.Builder builder = http.newWebSocketBuilder();
                if (!origin.isEmpty()) {
                    builder.header(origin.get(0), origin.get(1));
                }
                WebSocket socket = builder.buildAsync(hub, quiet).get(20, TimeUnit.SECONDS);
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void cookiesAreHttpOnlyAndSameSiteAndNotSecureOnLoopback() {
        Response page = given().get("/settings");
        String csrf = setCookie(page, "cloudops-csrf");
        assertThat(csrf).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
                .doesNotContainIgnoringCase("Secure");
        Matcher token = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(page.asString());
        assertThat(token.find()).isTrue();
        Response switched = given().redirects().follow(false).cookie("cloudops-csrf", page.getCookie("cloudops-csrf"))
                .contentType(ContentType.URLENC).formParam("role", "viewer").formParam("csrf-token", token.group(1))
                .post("/settings/role");
        assertThat(switched.statusCode()).isEqualTo(303);
        assertThat(setCookie(switched, "cloudops-demo-role")).containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Lax").doesNotContainIgnoringCase("Secure");
    }

    private static String setCookie(Response response, String name) {
        return response.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + " in " + response.headers()));
    }

    private static UUID longTask() {
        return UUID.fromString(given().contentType(ContentType.JSON)
                .body(Map.of("entityId", "xsite/" + UUID.randomUUID(), "steps", 50, "stepMillis", 2000))
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId"));
    }

    private static String status(UUID task) {
        return given().get("/api/tasks/{id}", task).then().statusCode(200).extract().path("status");
    }
}
