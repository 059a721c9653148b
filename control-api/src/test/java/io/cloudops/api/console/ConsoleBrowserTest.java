package io.cloudops.api.console;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;

import io.cloudops.api.testsupport.Chromium;
import io.cloudops.api.testsupport.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in a real browser (headless Chromium through Playwright), selecting elements by
 * their aria-labels: the dashboard, a task started from the navbar and watched live by two
 * browsers (one on the WebSocket hub, one on the SSE fallback), cancel, dead-letter retry, server
 * validation next to the field, and a forbidden action shown inline, all under the server's
 * Content Security Policy (a violation the browser reports fails the test). Screenshots go to
 * {@code target/screenshots/}.
 */
@QuarkusTest
class ConsoleBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final LocatorAssertions.HasTextOptions LONG = new LocatorAssertions.HasTextOptions()
            .setTimeout(30_000);

    private static Chromium chromium;

    @TestHTTPResource("/")
    URL base;

    @jakarta.inject.Inject
    io.cloudops.orchestrator.client.ActionLinks actionLinks;

    private BrowserContext context;

    @BeforeAll
    static void launch() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void shutdown() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** What the browser refused under the Content Security Policy, on any page of the test. */
    private final List<String> cspViolations = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void closeContext() {
        if (context != null) {
            context.close();
        }
        assertThat(cspViolations).as("Content Security Policy violations").isEmpty();
    }

    @Test
    void theDashboardShowsProjectsEnvironmentsQueueAndRecentTasks() {
        // the dashboard shows the first projects by name: this one sorts before the other tests' projects
        String project = Fixtures.uniqueName("acme");
        String projectId = Fixtures.createProject(Map.of("name", project, "description", "Web shop and its APIs"));
        Fixtures.createEnvironment(projectId, "dev", "dev");
        Fixtures.createEnvironment(projectId, "prod", "prod");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "sbx-checkout", "type", "sandbox", "ttlMinutes", 90))
                .post("/api/projects/{id}/environments", projectId).then().statusCode(201);
        UUID task = submitDiagnostic("env/" + project + "/dev", 2, 50, "never");
        UUID failed = submitDiagnostic("env/" + project + "/stage", 2, 50, "permanent");
        UUID running = submitDiagnostic("env/" + project + "/prod", 3, 3000, "never");
        awaitStatus(task, "succeeded");
        awaitStatus(failed, "failed");
        awaitStatus(running, "running");

        Page page = newPage();
        page.navigate("/");
        assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.HEADING,
                new Page.GetByRoleOptions().setName("Dashboard"))).isVisible();
        Locator card = label(page, "Project " + project);
        assertThat(card).isVisible();
        assertThat(label(card, "Environment " + project + "/prod")).isVisible();
        assertThat(label(card, "Deploy to " + project + "/dev")).isVisible();
        assertThat(label(card, "Time left for " + project + "/sbx-checkout")).containsText("expires in");
        assertThat(label(page, "Running sessions")).isVisible();
        assertThat(label(page, "Open diagnostic task " + task)).isVisible();
        assertThat(label(page, "Open running task " + running + " of env/" + project + "/prod")).isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dashboard.png")).setFullPage(true));

        // a task started elsewhere shows up without a reload (the hub triggers a fragment refresh)
        page.evaluate("window.__cloudopsNoReload = true");
        UUID later = submitDiagnostic("env/" + project + "/dev", 1, 50, "never");
        assertThat(label(page, "Open diagnostic task " + later)).isVisible();
        assertThat(page.evaluate("window.__cloudopsNoReload")).isEqualTo(true);

        page.setViewportSize(390, 844);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dashboard-phone.png")));
        given().post("/api/tasks/{id}/cancel", running).then().statusCode(202);
    }

    /**
     * POST /api/deployments is not on this branch yet, so the task is started with the navbar's
     * "Run diagnostic" quick action (POST /api/tasks/diagnostic).
     */
    @Test
    void aTaskStartedFromTheNavbarIsWatchedLiveByTwoBrowsersUntilItSucceeds() {
        String entity = "diag/live-" + UUID.randomUUID();
        Page page = newPage();
        page.navigate("/");
        label(page, "Quick action: Run diagnostic").click();
        Locator dialog = label(page, "Quick action");
        assertThat(dialog).isVisible();
        label(dialog, "Entity id").fill(entity);
        label(dialog, "Steps").fill("4");
        label(dialog, "Step duration in milliseconds").fill("1500");
        label(dialog, "Start diagnostic task").click();
        Locator open = label(dialog, "Open the new task");
        assertThat(open).isVisible();
        open.click();
        page.waitForURL(Pattern.compile(".*/tasks/[0-9a-f-]{36}$"));
        UUID task = UUID.fromString(page.url().substring(page.url().lastIndexOf('/') + 1));
        watch(page);
        int logsAtLoad = label(page, "Task logs").locator("li").count();

        BrowserContext second = chromium.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL(base.toString()).setViewportSize(1280, 800));
        try {
            Page other = recordCspViolations(second.newPage());
            other.navigate("/tasks/" + task + "?live=sse");
            watch(other);

            assertThat(label(page, "Status of step-2")).hasText("running", LONG);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("task-detail-running.png"))
                    .setFullPage(true));

            for (Page watcher : List.of(page, other)) {
                assertThat(label(watcher, "Task status")).hasText("succeeded", LONG);
                for (int step = 1; step <= 4; step++) {
                    assertThat(label(watcher, "Status of step-" + step)).hasText("succeeded");
                    assertThat(label(watcher, "Progress of step-" + step)).hasAttribute("aria-valuenow", "100");
                }
                assertThat(label(watcher, "Task logs").locator("li")).hasCount(4);
                assertThat(watcher.evaluate("window.__cloudopsNoReload")).as("no reload").isEqualTo(true);
                @SuppressWarnings("unchecked")
                List<String> seen = (List<String>) watcher.evaluate("window.__cloudopsSeen");
                assertThat(seen).as("step changes seen live").contains("step-4=running", "step-4=succeeded");
            }
            assertThat(logsAtLoad).as("log lines at page load").isLessThan(4);
            assertThat(label(other, "Live connection")).containsText("SSE");
            assertThat(label(page, "Task logs").innerText()).isEqualTo(label(other, "Task logs").innerText());
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("task-detail.png"))
                    .setFullPage(true));
        } finally {
            second.close();
        }
    }

    /**
     * Four eyes in the browser: alice (an admin, switched to in Settings) requested the task and is
     * not offered Approve; bob approves from his own session with a comment, and alice's page
     * follows the task live from awaiting approval to succeeded.
     */
    @Test
    void anotherUserApprovesFromTheTaskPageWhileTheRequestersPageFollowsLive() {
        UUID task = UUID.fromString(given().header("X-Demo-User", "alice").header("X-Demo-Role", "operator")
                .contentType(ContentType.JSON)
                .body(Map.of("entityId", "needs-approval/" + UUID.randomUUID(), "steps", 1, "stepMillis", 0, "fail",
                        "never"))
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId"));
        Page requester = newPage();
        requester.navigate("/settings");
        label(requester, "Switch to user alice").click();
        assertThat(label(requester, "Switch to user alice")).hasAttribute("aria-pressed", "true");
        requester.navigate("/tasks/" + task);
        assertThat(label(requester, "Task status")).hasText("awaiting_approval");
        assertThat(label(requester, "Four eyes")).isVisible();
        assertThat(label(requester, "Approve task")).hasCount(0);
        assertThat(label(requester, "Reject task")).isVisible();

        BrowserContext second = chromium.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL(base.toString()).setViewportSize(1280, 800));
        try {
            second.addCookies(List.of(new com.microsoft.playwright.options.Cookie("cloudops-demo-user", "bob")
                    .setUrl(base.toString())));
            Page approver = recordCspViolations(second.newPage());
            approver.navigate("/tasks/" + task);
            assertThat(label(approver, "Signed in as bob with role admin")).isVisible();
            label(approver, "Approval comment").fill("diff reviewed");
            label(approver, "Approve task").click();
            assertThat(label(approver, "Result")).containsText("Approved");

            assertThat(label(requester, "Task status")).hasText("succeeded", LONG);
            assertThat(label(requester, "Approval decisions")).containsText("bob approved");
            assertThat(label(requester, "Approval decisions")).containsText("diff reviewed");
            requester.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("task-approved.png"))
                    .setFullPage(true));
        } finally {
            second.close();
        }
    }

    /** One click: the environment card redeploys the last deployment, after a confirmation for prod. */
    @Test
    void theEnvironmentCardRedeploysTheLastDeploymentInOneClick() {
        String project = Fixtures.uniqueName("aa-oneclick");
        String projectId = Fixtures.createProject(project);
        String prod = Fixtures.createEnvironment(projectId, "prod", "prod");
        String first = given().contentType(ContentType.JSON).body(Map.of("projectId", projectId, "envId", prod,
                "templateId", "web-app", "params", Map.of("image", "nginx:1.27", "replicas", 2)))
                .post("/api/deployments").then().statusCode(202).extract().path("taskId");
        awaitStatus(UUID.fromString(first), "succeeded");

        Page page = newPage();
        List<String> confirmations = new java.util.concurrent.CopyOnWriteArrayList<>();
        page.onDialog(dialog -> {
            confirmations.add(dialog.message());
            dialog.accept();
        });
        page.navigate("/");
        label(page, "Redeploy web-app to " + project + "/prod").click();
        Locator result = label(page, "Result");
        assertThat(result).containsText("Redeploy queued",
                new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        // the dashboard's live part re-renders as the new task moves (the message goes): find it by its environment
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("entityId", prod).get("/api/tasks")
                .then().extract().jsonPath().getLong("total") == 2);
        UUID again = UUID.fromString(given().queryParam("entityId", prod).get("/api/tasks").then().extract()
                .jsonPath().getList("items.id", String.class).stream().filter(id -> !id.equals(first)).findFirst()
                .orElseThrow());
        page.navigate("/tasks/" + again);
        assertThat(label(page, "Task status")).hasText("succeeded", LONG);
        assertThat(confirmations).hasSize(1).first().asString().contains("production", "replicas=2");
        given().get("/api/tasks/{id}", again).then().body("payload.params.replicas", org.hamcrest.Matchers.is(2));
    }

    @Test
    void aLongTaskIsCancelledFromItsPage() {
        // long enough to be still running however slow the machine (the test cancels it)
        UUID task = submitDiagnostic("diag/cancel-" + UUID.randomUUID(), 50, 2000, "never");
        Page page = newPage();
        page.navigate("/tasks/" + task);
        assertThat(label(page, "Task status")).hasText("running", LONG);

        label(page, "Cancel task").click();
        assertThat(label(page, "Result")).containsText("Cancel");
        assertThat(label(page, "Task status")).hasText("cancelled", LONG);
        assertThat(label(page, "Retry task")).isVisible();
        awaitStatus(task, "cancelled");
    }

    @Test
    void aDeadLetterIsRetriedFromTheDeadLetterPage() {
        UUID task = submitDiagnostic("diag/dlq-" + UUID.randomUUID(), 1, 0, "always");
        awaitStatus(task, "dead_lettered");

        Page page = newPage();
        page.navigate("/dlq");
        assertThat(label(page, "Dead letter of task " + task)).isVisible();
        label(page, "Retry dead letter for task " + task).click();
        Locator result = label(page, "Result");
        assertThat(result).containsText("Re-queued");
        assertThat(label(result, "Open the task")).hasAttribute("href", "/tasks/" + task);
        await().atMost(Duration.ofSeconds(10)).until(() -> "retried".equals(given()
                .queryParam("includeResolved", true).queryParam("size", 200).get("/api/dlq")
                .then().statusCode(200).extract().jsonPath()
                .getString("items.find { it.taskId == '" + task + "' && it.resolution != null }.resolution")));
    }

    /**
     * The deploy dialog is a form of the chosen template's parameters: typed inputs with their
     * defaults and hints, other fields when the template changes, the server's message at the field
     * of an invalid value, and a deployment once it is valid.
     */
    @Test
    void theDeployFormShowsTheTemplatesFieldsAnInvalidValueAtItsFieldAndThenDeploys() {
        String project = Fixtures.uniqueName("deploy");
        String projectId = Fixtures.createProject(project);
        String envId = Fixtures.createEnvironment(projectId, "dev", "dev");
        Page page = newPage();
        page.navigate("/projects/" + projectId);
        label(page, "Deploy to " + project + "/dev").click();
        Locator dialog = label(page, "Quick action");
        assertThat(label(dialog, "Template parameters")).containsText("Choose a template");
        awaitSettled(page);

        label(dialog, "Template").selectOption("worker");
        assertThat(label(dialog, "Parameter serviceAccountToken")).isChecked();
        assertThat(label(dialog, "Parameter replicas")).hasValue("1");
        assertThat(label(dialog, "Parameter port")).hasCount(0);
        label(dialog, "Template").selectOption("web-app");
        Locator replicas = label(dialog, "Parameter replicas");
        assertThat(replicas).hasValue("2");
        assertThat(replicas).hasAttribute("type", "number");
        assertThat(replicas).hasAttribute("max", "20");
        assertThat(dialog.locator("#" + replicas.getAttribute("aria-describedby")))
                .hasText("Number of pods · a whole number from 1 to 20 · default 2");
        assertThat(label(dialog, "Parameter pullPolicy")).hasValue("IfNotPresent");
        assertThat(label(dialog, "Parameter serviceAccountToken")).hasCount(0);
        assertThat(label(dialog, "Parameter image")).hasAttribute("required", "");

        label(dialog, "Parameter image").fill("nginx:1.27");
        replicas.fill("0");
        label(dialog, "Parameter pullPolicy").selectOption("Always");
        label(dialog, "Start deployment").click();
        assertThat(replicas).hasAttribute("aria-invalid", "true");
        assertThat(dialog.locator("#deploy-param-replicas-error")).hasText("must be at least 1");
        assertThat(replicas).hasAttribute("aria-describedby", "deploy-param-replicas-help deploy-param-replicas-error");
        assertThat(label(dialog, "Parameter image")).hasValue("nginx:1.27");
        assertThat(label(dialog, "Parameter pullPolicy")).hasValue("Always");
        awaitSettled(page);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("deploy-form-problem.png")));

        replicas.fill("3");
        label(dialog, "Start deployment").click();
        Locator open = label(dialog, "Open the new task");
        assertThat(open).isVisible();
        open.click();
        page.waitForURL(Pattern.compile(".*/tasks/[0-9a-f-]{36}$"));
        watch(page);

        assertThat(label(page, "Task status")).hasText("succeeded", LONG);
        for (String step : List.of("validate", "plan", "apply")) {
            assertThat(label(page, "Status of " + step)).hasText("succeeded");
        }
        assertThat(page.getByText("plan.yaml").first()).isVisible();
        assertThat(label(page, "Plan content")).containsText("imagePullPolicy: Always");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("task-detail-deployment.png"))
                .setFullPage(true));
        UUID task = UUID.fromString(page.url().substring(page.url().lastIndexOf('/') + 1));
        given().get("/api/tasks/{id}", task).then().body("entityId", org.hamcrest.Matchers.is(envId))
                .body("payload.params.replicas", org.hamcrest.Matchers.is(3))
                .body("payload.params.pullPolicy", org.hamcrest.Matchers.is("Always"));
    }

    /** Without script the template is changed by a button in the form, which comes back with that template's fields. */
    @Test
    void withoutScriptTheDeployFormShowsTheChosenTemplatesFieldsAfterAReload() {
        context = chromium.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL(base.toString()).setJavaScriptEnabled(false));
        Page page = context.newPage();
        page.navigate("/actions/deploy");
        Locator form = label(page, "Deploy form");
        label(form, "Template").selectOption("worker");
        label(form, "Show this template's parameters").click();
        assertThat(label(form, "Template parameters")).containsText("Parameters of Background worker");
        assertThat(label(form, "Parameter serviceAccountToken")).isChecked();
        assertThat(label(form, "Template")).hasValue("worker");
    }

    /**
     * Preview from the form: "Preview only (dry run)" plans and diffs instead of applying, and the
     * task page shows the highlighted plan and the diff against the plan applied last.
     */
    @Test
    void aDryRunFromTheDeployFormShowsThePlanAndTheDiffAgainstTheLastAppliedPlan() {
        String project = Fixtures.uniqueName("preview");
        String projectId = Fixtures.createProject(project);
        String envId = Fixtures.createEnvironment(projectId, "dev", "dev");
        String applied = given().contentType(ContentType.JSON).body(Map.of("projectId", projectId, "envId", envId,
                "templateId", "web-app", "params", Map.of("image", "nginx:1.27", "replicas", 2)))
                .post("/api/deployments").then().statusCode(202).extract().path("taskId");
        awaitStatus(UUID.fromString(applied), "succeeded");

        Page page = newPage();
        page.navigate("/projects/" + projectId);
        label(page, "Deploy to " + project + "/dev").click();
        Locator dialog = label(page, "Quick action");
        assertThat(label(dialog, "Template parameters")).isVisible();
        awaitSettled(page);
        label(dialog, "Template").selectOption("web-app");
        label(dialog, "Parameter image").fill("nginx:1.27");
        label(dialog, "Parameter replicas").fill("3");
        dialog.getByLabel("Preview only (dry run)").check();
        label(dialog, "Start deployment").click();
        label(dialog, "Open the new task").click();
        page.waitForURL(Pattern.compile(".*/tasks/[0-9a-f-]{36}$"));

        assertThat(label(page, "Task status")).hasText("succeeded", LONG);
        for (String step : List.of("validate", "plan", "diff")) {
            assertThat(label(page, "Status of " + step)).hasText("succeeded");
        }
        assertThat(label(page, "Status of apply")).hasCount(0);
        Locator plan = label(page, "Plan content");
        assertThat(plan).containsText("replicas: 3");
        assertThat(plan.locator(".c-key").first()).isVisible();
        Locator diff = label(page, "Diff against the last applied plan content");
        assertThat(diff.locator(".c-file").first()).containsText("applied/" + applied + "/plan.yaml");
        assertThat(diff.locator(".c-del")).hasText(Pattern.compile("^-\\s+replicas: 2$"));
        assertThat(diff.locator(".c-add")).hasText(Pattern.compile("^\\+\\s+replicas: 3$"));
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("task-detail-preview.png"))
                .setFullPage(true));
        // a preview applies nothing: the environment's last deployment is still the one applied
        given().get("/api/environments/{id}/last-deployment", envId).then().statusCode(200)
                .body("taskId", org.hamcrest.Matchers.is(applied));
    }

    /**
     * "Roll back" on a succeeded deployment's page (after the confirmation) starts a new deployment
     * that applies that deployment's plan again, and it succeeds.
     */
    @Test
    void aSucceededDeploymentIsRolledBackFromItsTaskPage() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("rollback"));
        String envId = Fixtures.createEnvironment(projectId, "dev", "dev");
        UUID first = deployWebApp(projectId, envId, "nginx:1.26");
        awaitStatus(first, "succeeded");
        awaitStatus(deployWebApp(projectId, envId, "nginx:1.27"), "succeeded");

        Page page = newPage();
        List<String> confirmations = new java.util.concurrent.CopyOnWriteArrayList<>();
        page.onDialog(dialog -> {
            confirmations.add(dialog.message());
            dialog.accept();
        });
        page.navigate("/tasks/" + first);
        label(page, "Roll back to this plan").click();
        Locator result = label(page, "Result");
        assertThat(result).containsText("Rollback queued");
        assertThat(confirmations).hasSize(1).first().asString().contains("Roll back to this deployment?");
        label(result, "Open the task").click();
        page.waitForURL(Pattern.compile(".*/tasks/(?!" + first + ")[0-9a-f-]{36}$"));
        UUID rollback = UUID.fromString(page.url().substring(page.url().lastIndexOf('/') + 1));

        assertThat(label(page, "Task status")).hasText("succeeded", LONG);
        for (String step : List.of("validate", "plan", "apply")) {
            assertThat(label(page, "Status of " + step)).hasText("succeeded");
        }
        assertThat(label(page, "Plan content")).containsText("image: nginx:1.26");
        given().get("/api/tasks/{id}", rollback).then().body("type", org.hamcrest.Matchers.is("deployment"))
                .body("payload.rollback.taskId", org.hamcrest.Matchers.is(first.toString()));
        given().get("/api/environments/{id}/last-deployment", envId).then().statusCode(200)
                .body("taskId", org.hamcrest.Matchers.is(rollback.toString()));
    }

    @Test
    void aFormShowsTheServersProblemNextToTheField() {
        Page page = newPage();
        page.navigate("/");
        label(page, "Quick action: Run diagnostic").click();
        Locator dialog = label(page, "Quick action");
        label(dialog, "Entity id").fill("");
        label(dialog, "Start diagnostic task").click();
        Locator entity = label(dialog, "Entity id");
        assertThat(entity).hasAttribute("aria-invalid", "true");
        assertThat(dialog.locator("#diag-entityId-error")).containsText("must not be blank");
        assertThat(label(dialog, "Problem")).containsText("Invalid request");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("quick-action-problem.png")));

        // the deploy form reports what the server answers, also while POST /api/deployments is missing
        int deployments = given().contentType(ContentType.JSON).body("{}").post("/api/deployments").statusCode();
        label(page, "Close dialog").click();
        label(page, "Quick action: Deploy").click();
        if (deployments == 404) {
            label(dialog, "Template").fill("web-app");
        } else {
            label(dialog, "Template").selectOption("web-app"); // no environment chosen: the server says so
        }
        label(dialog, "Start deployment").click();
        if (deployments == 404) {
            assertThat(label(dialog, "Problem")).containsText("Not available yet");
        } else {
            assertThat(label(dialog, "Problem").or(label(dialog, "Result"))).isVisible();
        }
    }

    @Test
    void aViewerChosenInTheRoleSwitcherSeesTheForbiddenProblemInline() {
        // still running at the end, whatever the machine's load: the last line cancels it (202)
        UUID task = submitDiagnostic("diag/viewer-" + UUID.randomUUID(), 50, 2000, "never");
        Page page = newPage();
        page.navigate("/settings");
        label(page, "Switch to role viewer").click();
        assertThat(label(page, "Signed in as demo with role viewer")).isVisible();

        page.navigate("/tasks/" + task);
        label(page, "Cancel task").click();
        assertThat(label(page, "Result")).containsText("Forbidden");
        label(page, "Quick action: Run diagnostic").click();
        label(page, "Start diagnostic task").click();
        assertThat(label(label(page, "Quick action"), "Problem")).containsText("Forbidden");
        given().post("/api/tasks/{id}/cancel", task).then().statusCode(202);
    }

    /** Swagger UI is not ours and starts with an inline script: its own, looser policy lets it run. */
    @Test
    void theApiExplorerRendersUnderItsPolicy() {
        Page page = newPage();
        page.navigate("/swagger");
        assertThat(page.getByText("CloudOps Control Plane API").first()).isVisible();
        assertThat(page.locator(".opblock").first()).isVisible();
    }

    /**
     * Waits until htmx has wired what it swapped in: new content carries {@code htmx-added} until
     * its settle step processes its hx- attributes (20 ms later); a select changed or a form
     * submitted before that would be the browser's own, not htmx's.
     */
    private static void awaitSettled(Page page) {
        assertThat(page.locator(".htmx-added")).hasCount(0);
    }

    private Page newPage() {
        context = chromium.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL(base.toString()).setViewportSize(1280, 800));
        context.setDefaultTimeout(15_000);
        return recordCspViolations(context.newPage());
    }

    private Page recordCspViolations(Page page) {
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                cspViolations.add(page.url() + ": " + message.text());
            }
        });
        return page;
    }

    private static Locator label(Page page, String label) {
        return page.getByLabel(label, new Page.GetByLabelOptions().setExact(true));
    }

    private static Locator label(Locator within, String label) {
        return within.getByLabel(label, new Locator.GetByLabelOptions().setExact(true));
    }

    /**
     * Marks the page (a reload would lose the mark) and records every step status it shows from now
     * on, so the test can tell that changes arrived live.
     */
    private static void watch(Page page) {
        page.evaluate("""
                () => {
                  window.__cloudopsNoReload = true;
                  window.__cloudopsSeen = [];
                  const record = () => document.querySelectorAll('#task-timeline [data-step]').forEach(step => {
                    const seen = step.dataset.step + '=' + step.dataset.status;
                    if (!window.__cloudopsSeen.includes(seen)) window.__cloudopsSeen.push(seen);
                  });
                  record();
                  new MutationObserver(record).observe(document.getElementById('main'),
                      { subtree: true, childList: true, attributes: true, characterData: true });
                }""");
    }

    /**
     * axe-core (the accessibility engine browsers' audits use; pinned in tools/axe-core) finds no
     * serious or critical violation on any console page, with the experimental
     * label-content-name-mismatch rule on too (an aria-label must contain the visible text). Each page's full result goes to
     * {@code target/accessibility/}.
     */
    @Test
    void noPageHasASeriousOrCriticalAccessibilityViolation() throws Exception {
        String project = Fixtures.uniqueName("a11y");
        String projectId = Fixtures.createProject(Map.of("name", project, "description", "Accessibility"));
        Fixtures.createEnvironment(projectId, "dev", "dev");
        UUID task = submitDiagnostic("env/" + project + "/dev", 1, 10, "never");
        UUID deadLettered = submitDiagnostic("env/" + project + "/stage", 1, 0, "always");
        awaitStatus(task, "succeeded");
        awaitStatus(deadLettered, "dead_lettered");
        String awaiting = given().header("X-Demo-User", "alice").contentType(ContentType.JSON)
                .body(Map.of("entityId", "needs-approval/" + UUID.randomUUID(), "steps", 1, "stepMillis", 0, "fail",
                        "never"))
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
        String axe = java.nio.file.Files.readString(io.cloudops.api.testsupport.AxeCore.script());
        java.nio.file.Path results = java.nio.file.Files.createDirectories(Path.of("target", "accessibility"));
        Map<String, Object> serious = new java.util.LinkedHashMap<>();
        Page page = newPage();
        for (String path : List.of("/", "/tasks", "/tasks/" + task, "/tasks/" + awaiting, "/projects",
                "/projects/" + projectId, "/dlq", "/schedules", "/cost", "/settings", "/audit",
                "/actions/deploy?templateId=web-app", "/actions/deploy?templateId=worker",
                actionLinks.url("", io.cloudops.orchestrator.client.ActionLinks.Action.APPROVE,
                        UUID.fromString(awaiting)))) {
            page.navigate(path);
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            page.evaluate(axe); // through the DevTools protocol: the page's CSP does not apply
            String report = (String) page.evaluate("""
                    async () => JSON.stringify((await axe.run(document, { resultTypes: ['violations'],
                        rules: { 'label-content-name-mismatch': { enabled: true } } })).violations
                        .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                     nodes: v.nodes.map(n => n.target.join(' ')) })))""");
            java.nio.file.Files.writeString(results.resolve((path.equals("/")
                    ? "dashboard"
                    : path.equals("/tasks/" + awaiting)
                            ? "task_awaiting_approval"
                            : path.startsWith("/links/")
                                    ? "action_link"
                                    : path.substring(1)
                                            .replaceAll("[/?=&]", "_").replaceAll("[0-9a-f-]{36}", "id"))
                    + ".json"), report);
            List<Map<String, Object>> violations = new com.fasterxml.jackson.databind.ObjectMapper().readValue(report,
                    new com.fasterxml.jackson.core.type.TypeReference<>() {
                    });
            List<Map<String, Object>> bad = violations.stream()
                    .filter(v -> List.of("serious", "critical").contains(v.get("impact"))).toList();
            if (!bad.isEmpty()) {
                serious.put(path, bad);
            }
        }
        assertThat(serious).as("serious or critical accessibility violations (axe-core), by page").isEmpty();
    }

    private static UUID deployWebApp(String projectId, String envId, String image) {
        return UUID.fromString(given().contentType(ContentType.JSON).body(Map.of("projectId", projectId, "envId",
                envId, "templateId", "web-app", "params", Map.of("image", image))).post("/api/deployments").then()
                .statusCode(202).extract().path("taskId"));
    }

    private static UUID submitDiagnostic(String entity, int steps, int stepMillis, String fail) {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("entityId", entity, "steps", steps, "stepMillis", stepMillis, "fail", fail))
                .post("/api/tasks/diagnostic")
                .then().statusCode(202).extract().path("taskId");
        return UUID.fromString(id);
    }

    private static void awaitStatus(UUID task, String status) {
        await().atMost(Duration.ofSeconds(30)).until(
                () -> status.equals(given().get("/api/tasks/{id}", task).then().extract().path("status")));
    }
}
