package io.cloudops.api.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.assertions.PageAssertions;

import io.cloudops.api.testsupport.Chromium;
import io.cloudops.api.testsupport.KeycloakServer;
import io.cloudops.api.testsupport.KeycloakServer.User;
import io.cloudops.api.testsupport.PackagedApp;
import io.cloudops.api.testsupport.SharedKeycloak;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.cloudops.api.testsupport.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Sign-in against a real OIDC provider: the packaged app started with {@code DEMO_MODE=false} and its OIDC
 * settings pointing at a Keycloak ({@link KeycloakServer}) whose realm names its roles {@code CloudOps.*}, so
 * {@code OIDC_ROLE_MAP} is exercised too. A browser signs in through Keycloak's login page and back (code flow)
 * and signs out; API clients call with bearer tokens from Keycloak's token endpoint, one per role, and one user
 * whose token carries no CloudOps role.
 *
 * <p>
 * Keycloak and the app need no database server, so this runs once per build: in {@code .ci/run}'s first run
 * (embedded PostgreSQL); with {@code PLATFORM_DB_CONN} set it skips, saying so.
 */
class KeycloakSignInIT {

    private static final Logger LOG = Logger.getLogger(KeycloakSignInIT.class);
    /** Code exchange and first page render on a busy two-core build machine. */
    private static final Duration SLOW = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String DIAGNOSTIC = "{\"entityId\":\"keycloak-it/diagnostic\",\"steps\":1,\"stepMillis\":10}";

    @RegisterExtension
    static final SharedKeycloak KEYCLOAK = new SharedKeycloak();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path workDir;

    private static KeycloakServer keycloak;
    private static PackagedApp app;
    private static Chromium chromium;
    private BrowserContext browser;
    private final List<String> navigations = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startKeycloakAndTheApp() throws Exception {
        // Keycloak and the app bring their own state: once per build is enough (.ci/run's second run sets this)
        String externalDb = System.getenv("PLATFORM_DB_CONN");
        boolean ownDatabase = externalDb == null || externalDb.isBlank();
        if (!ownDatabase) {
            LOG.warn("SKIPPED: KeycloakSignInIT runs only without PLATFORM_DB_CONN: it needs no database server,"
                    + " and .ci/run's first run (embedded) has already run it");
        }
        Assumptions.assumeTrue(ownDatabase, "runs only without PLATFORM_DB_CONN (once per build is enough)");
        keycloak = KEYCLOAK.server();
        app = new PackagedApp(workDir, Path.of("target", "keycloak-sign-in-it", "app.log").toAbsolutePath(),
                keycloak.oidcEnvironment());
        app.start();
    }

    @AfterAll
    static void stopTheApp() throws InterruptedException {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    @AfterEach
    void closeTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theRealmPutsEachUsersRoleIntoTheRolesClaimOfItsTokens() {
        for (User user : KeycloakServer.USERS) {
            Map<String, Object> claims = KeycloakServer.claims(keycloak.accessToken(user));
            assertThat(claims).as("access token of %s", user.username())
                    .containsEntry("iss", keycloak.issuer())
                    .containsEntry("preferred_username", user.username())
                    .containsEntry("roles", List.of(user.realmRole()));
        }
    }

    @Test
    void theOperatorSignsInThroughKeycloakLandsOnThePageItAskedForAndSignsOut() throws Exception {
        chromium = chromium == null ? Chromium.launch() : chromium;
        browser = chromium.browser().newContext();
        Page page = browser.newPage();
        recordNavigations(page);
        Files.createDirectories(SCREENSHOTS);
        String tasks = "http://localhost:" + app.port() + "/tasks";

        page.navigate(tasks);
        awaitKeycloakLoginPage(page);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("keycloak-login.png")));
        signIn(page, KeycloakServer.OPERATOR);

        assertThat(page).hasURL(tasks, new PageAssertions.HasURLOptions().setTimeout(SLOW.toMillis()));
        assertThat(page.getByLabel("Signed in as " + KeycloakServer.OPERATOR.username() + " with role operator"))
                .isVisible();
        assertThat(page.getByLabel("Demo mode")).hasCount(0);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("keycloak-signed-in.png")));

        page.getByLabel("Sign out").click();
        // signed out here and at Keycloak: back on the app's start page, which asks Keycloak for a password again
        awaitKeycloakLoginPage(page);
        page.navigate(tasks);
        awaitKeycloakLoginPage(page);
        assertThat(page.getByLabel("Signed in as " + KeycloakServer.OPERATOR.username() + " with role operator"))
                .hasCount(0);
    }

    @Test
    void eachRoleMayDoWhatItsTokenAllowsAndNoMore() {
        String viewer = keycloak.accessToken(KeycloakServer.VIEWER);
        String operator = keycloak.accessToken(KeycloakServer.OPERATOR);
        String admin = keycloak.accessToken(KeycloakServer.ADMIN);

        as(viewer).get("/api/projects").then().statusCode(200).body("items", notNullValue());
        assertProblem(as(viewer).contentType(ContentType.JSON).body(DIAGNOSTIC).post("/api/tasks/diagnostic"), 403);

        as(operator).contentType(ContentType.JSON).body(DIAGNOSTIC).post("/api/tasks/diagnostic")
                .then().statusCode(202).body("taskId", notNullValue());
        assertProblem(as(operator).contentType(ContentType.JSON).body(project("by-operator")).post("/api/projects"),
                403);

        as(admin).contentType(ContentType.JSON).body(project("by-admin")).post("/api/projects")
                .then().statusCode(201).body("id", notNullValue());
        as(admin).contentType(ContentType.JSON).body(DIAGNOSTIC).post("/api/tasks/diagnostic")
                .then().statusCode(202);
    }

    @Test
    void aSignedInUserWithoutAMappedRoleGetsNoAccessAndIsToldWhichRolesCount() {
        String outsider = keycloak.accessToken(KeycloakServer.NO_ROLE);
        assertProblem(as(outsider).get("/api/projects"), 403)
                .body("detail", containsString("CloudOps.Viewer (viewer)"))
                .body("detail", containsString("CloudOps.Operator (operator)"))
                .body("detail", containsString("CloudOps.Admin (admin)"))
                .body("detail", containsString("claim 'roles'"))
                .body("detail", containsString(KeycloakServer.NO_ROLE.realmRole()));
        assertProblem(as(outsider).contentType(ContentType.JSON).body(DIAGNOSTIC).post("/api/tasks/diagnostic"), 403);
    }

    @Test
    void withoutATokenTheApiAnswers401() {
        assertProblem(app.api().get("/api/projects"), 401);
        assertProblem(app.api().header("Authorization", "Bearer not-a-token").get("/api/projects"), 401);
    }

    private static RequestSpecification as(String accessToken) {
        return app.api().auth().oauth2(accessToken);
    }

    private static Map<String, String> project(String name) {
        return Map.of("name", "keycloak-it-" + name, "description", "created with a Keycloak token");
    }

    /** Keycloak's sign-in form of the realm, reached by redirect (not a page of the app that happens to load). */
    private void awaitKeycloakLoginPage(Page page) {
        String authorize = keycloak.issuer() + "/protocol/openid-connect/auth";
        try {
            page.waitForURL(url -> url.startsWith(authorize),
                    new Page.WaitForURLOptions().setTimeout(SLOW.toMillis()));
        } catch (TimeoutError e) {
            Path shot = SCREENSHOTS.resolve("keycloak-login-page-not-reached.png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot));
            throw new AssertionError("Keycloak's login page (" + authorize + ") not reached in " + SLOW
                    + "; the browser is on " + page.url() + " (\"" + page.title() + "\", screenshot " + shot
                    + "), after these navigations:\n  " + String.join("\n  ", navigations) + "\nKeycloak's log: "
                    + keycloak.log() + ", the app's: " + app.log(), e);
        }
        assertThat(page.locator("#username")).isVisible();
        assertThat(page.locator("#password")).isVisible();
    }

    /** The main frame's navigations (status and URL, or the failure), for the message of a step that fails. */
    private void recordNavigations(Page page) {
        page.onResponse(response -> {
            if (response.request().isNavigationRequest() && response.frame() == page.mainFrame()) {
                navigations.add(response.status() + " " + response.url());
            }
        });
        page.onRequestFailed(request -> {
            if (request.isNavigationRequest()) {
                navigations.add("failed (" + request.failure() + ") " + request.url());
            }
        });
    }

    private static void signIn(Page page, User user) {
        page.locator("#username").fill(user.username());
        page.locator("#password").fill(user.password());
        page.locator("#kc-login").click();
    }
}
