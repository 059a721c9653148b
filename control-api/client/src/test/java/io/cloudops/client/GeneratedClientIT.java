package io.cloudops.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.cloudops.client.api.CostApi;
import io.cloudops.client.api.DatabaseOperationsApi;
import io.cloudops.client.api.DeadLettersApi;
import io.cloudops.client.api.DeploymentsApi;
import io.cloudops.client.api.ProjectsApi;
import io.cloudops.client.api.TasksApi;
import io.cloudops.client.api.WorkloadsApi;
import io.cloudops.client.model.CostEstimate;
import io.cloudops.client.model.CostEstimateRequest;
import io.cloudops.client.model.CostResource;
import io.cloudops.client.model.DbBackupRequest;
import io.cloudops.client.model.DbRestoreRequest;
import io.cloudops.client.model.DeploymentRequest;
import io.cloudops.client.model.Environment;
import io.cloudops.client.model.EnvironmentRequest;
import io.cloudops.client.model.EnvironmentType;
import io.cloudops.client.model.Problem;
import io.cloudops.client.model.Project;
import io.cloudops.client.model.ProjectRequest;
import io.cloudops.client.model.RestartWorkloadRequest;
import io.cloudops.client.model.Task;
import io.cloudops.client.model.TaskStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default driven only through the client generated from the published contract,
 * the way a user of the API would: projects and environments, a deployment followed to its end,
 * a backup restored, a workload restarted, a cost estimated, the dead letters listed and a
 * problem read as a typed object. The packaged application runs as a separate JVM on a free port.
 */
class GeneratedClientIT {

    private static final Path JAR = Path.of("..", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    /** Environment variables that would configure the app; the child starts without any of them. */
    private static final List<String> CONFIG_PREFIXES = List.of("PLATFORM_", "QUARKUS_", "DEMO_MODE", "AZURE_",
            "KUBECONFIG", "TASK_", "ORCHESTRATOR_", "SIMULAT");

    private static Process app;
    private static ApiClient client;

    @BeforeAll
    static void start() throws IOException {
        assertThat(JAR).as("packaged control-api (mvn verify packages it before this module)").isRegularFile();
        Path work = Files.createDirectories(Path.of("target", "it-work", UUID.randomUUID().toString()));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("app.log").toFile());
        builder.environment().keySet().removeIf(name -> CONFIG_PREFIXES.stream().anyMatch(name::startsWith));
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("SIMULATION_TIME_SCALE", "0.05");
        app = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(app::destroyForcibly));
        String base = "http://localhost:" + port;
        try (HttpClient http = HttpClient.newHttpClient()) {
            await("ready (log: " + work.resolve("app.log") + ")").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        }
        client = new ApiClient();
        client.updateBaseUri(base);
        client.setRequestInterceptor(request -> request.header("X-Demo-Role", "admin"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (app != null) {
            app.destroy();
            app.waitFor();
        }
    }

    @Test
    void aUserDrivesTheControlPlaneWithTheGeneratedClient() throws Exception {
        ProjectsApi projects = new ProjectsApi(client);
        TasksApi tasks = new TasksApi(client);
        String name = "client-" + UUID.randomUUID().toString().substring(0, 8);

        Project project = projects.createProject(new ProjectRequest().name(name).description("generated client"));
        Environment dev = projects.createEnvironment(project.getId(),
                new EnvironmentRequest().name("dev").type(EnvironmentType.DEV));
        assertThat(projects.getProject(project.getId()).getEnvironments()).extracting(Environment::getName)
                .containsExactly("dev");
        assertThat(projects.listProjects(0, 200).getItems()).extracting(Project::getName).contains(name);

        UUID deployment = new DeploymentsApi(client).createDeployment(new DeploymentRequest().projectId(project.getId())
                .envId(dev.getId()).templateId("web-app").params(Map.of("image", "nginx:1.27", "replicas", 2)),
                "deploy-" + name).getTaskId();
        Task deployed = awaitEnd(tasks, deployment);
        assertThat(deployed.getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(deployed.getPayload()).isNotEmpty(); // free-form JSON, as it was accepted

        DatabaseOperationsApi databases = new DatabaseOperationsApi(client);
        Task backup = awaitEnd(tasks,
                databases.backupDatabase("azure-postgres", "orders", "backup-" + name, new DbBackupRequest())
                        .getTaskId());
        assertThat(backup.getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
        UUID artifact = backup.getArtifacts().getFirst().getId();
        Task restore = awaitEnd(tasks, databases.restoreDatabase("azure-postgres", "orders",
                new DbRestoreRequest().artifactId(artifact).target("orders_restored"), "restore-" + name).getTaskId());
        assertThat(restore.getStatus()).isEqualTo(TaskStatus.SUCCEEDED);

        Task restart = awaitEnd(tasks, new WorkloadsApi(client)
                .restartWorkload("web", name, "restart-" + name, new RestartWorkloadRequest()).getTaskId());
        assertThat(restart.getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(restart.getEntityId()).isEqualTo(name + "/web");

        CostEstimate estimate = new CostApi(client).estimateCost(new CostEstimateRequest().currency("USD")
                .resources(List.of(new CostResource().kind("vm").sku("Standard_D2s_v5").region("westeurope")
                        .quantity(2))));
        assertThat(estimate.getMonthlyTotal()).isPositive();

        assertThat(new DeadLettersApi(client).listDeadLetters(true, 0, 20).getItems()).isNotNull();

        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> projects.createProject(new ProjectRequest().name(name)));
        assertThat(refused.getCode()).isEqualTo(409);
        Problem problem = client.getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        assertThat(problem.getStatus()).isEqualTo(409);
        assertThat(problem.getType()).isEqualTo("/problems/conflict");
        assertThat(problem.getDetail()).isNotBlank();
    }

    private static Task awaitEnd(TasksApi tasks, UUID id) {
        return await("task " + id).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> tasks.getTask(id),
                        task -> task.getStatus() != TaskStatus.QUEUED && task.getStatus() != TaskStatus.RUNNING);
    }
}
