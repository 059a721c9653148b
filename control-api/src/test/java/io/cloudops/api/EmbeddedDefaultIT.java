package io.cloudops.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.cloudops.api.testsupport.PackagedApp;
import io.restassured.http.ContentType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

/**
 * The embedded default as a user runs it: the packaged jar started with no configuration at all in
 * an empty folder. It must create its PostgreSQL under {@code ./data}, seed the demo project once,
 * keep data across a graceful stop and across a {@code kill -9} (whose orphaned PostgreSQL the next
 * start has to stop), and leave no PostgreSQL behind when it stops. Several runs share one folder,
 * which is why this is a plain test driving a child JVM rather than a {@code @QuarkusIntegrationTest}.
 */
class EmbeddedDefaultIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path workDir;

    private static PackagedApp app;

    @BeforeAll
    static void createTheApp() throws IOException {
        app = new PackagedApp(workDir, Path.of("target", "embedded-default-it", "app.log").toAbsolutePath(), Map.of());
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void runsWithoutConfigurationAndKeepsItsDataAcrossGracefulAndHardRestarts() throws Exception {
        app.start();
        assertThat(Files.readString(app.log())).as("one process on its own database: no task event relay")
                .doesNotContain("Task event relay on");
        app.api().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'task-event-relay' }.data.relay", is("off"));
        assertThat(app.pgData().resolve("PG_VERSION")).as("embedded PostgreSQL data under ./data/postgres")
                .isRegularFile();
        assertThat(app.postmaster()).as("PostgreSQL serving ./data/postgres").isPresent();
        assertDemoSeededOnce();
        app.api().get("/swagger").then().statusCode(200);
        app.api().get("/q/openapi").then().statusCode(200).body(containsString("/api/projects"));
        String survivor = createProjectWithAnEnvironment("survivor");

        app.stopGracefully();
        assertNoPostgresLeft();

        app.start();
        assertProjectSurvived(survivor, "survivor");
        assertDemoSeededOnce();

        app.kill();
        assertThat(app.postmaster()).as("kill -9 leaves the embedded PostgreSQL running, orphaned").isPresent();

        app.start();
        assertProjectSurvived(survivor, "survivor");
        assertDemoSeededOnce();

        app.stopGracefully();
        assertNoPostgresLeft();
    }

    private static void assertNoPostgresLeft() {
        await("no PostgreSQL left running for " + app.pgData())
                .atMost(Duration.ofSeconds(30))
                .until(() -> app.postmaster().isEmpty() && app.postgresProcessesOfTheDataFolder().isEmpty());
    }

    private static void assertDemoSeededOnce() {
        List<String> demoIds = app.api().queryParam("size", 200).get("/api/projects")
                .then().statusCode(200)
                .extract().path("items.findAll { it.name == 'demo' }.id");
        assertThat(demoIds).as("projects named demo").hasSize(1);
        app.api().get("/api/projects/{id}", demoIds.get(0))
                .then().statusCode(200)
                .body("environments.name", containsInAnyOrder("dev", "stage", "prod"));
    }

    private static String createProjectWithAnEnvironment(String name) {
        String id = app.api().contentType(ContentType.JSON).body(Map.of("name", name, "description", "must survive"))
                .post("/api/projects")
                .then().statusCode(201)
                .extract().path("id");
        app.api().contentType(ContentType.JSON).body(Map.of("name", "dev", "type", "dev"))
                .post("/api/projects/{id}/environments", id)
                .then().statusCode(201);
        return id;
    }

    private static void assertProjectSurvived(String id, String name) {
        app.api().get("/api/projects/{id}", id)
                .then().statusCode(200)
                .body("name", equalTo(name))
                .body("description", equalTo("must survive"))
                .body("environments.name", containsInAnyOrder("dev"));
    }
}
