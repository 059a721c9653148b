package io.cloudops.api.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Keycloak ({@code bin/kc.sh start-dev} of the {@code org.keycloak:keycloak-quarkus-dist} zip, which
 * Maven unpacks into {@code target/keycloak} before the integration tests) on a free loopback port, with the
 * realm kept in {@code src/test/resources/keycloak/cloudops-realm.json} imported into an in-memory database.
 * It runs on the test JVM's own JDK. {@link SharedKeycloak} starts it once per test JVM; its output goes to
 * {@code target/keycloak/server.log}.
 *
 * <p>
 * The realm: client {@value #CLIENT_ID} (confidential; code flow with redirects to any port of localhost and
 * 127.0.0.1; direct access grants for {@link #accessToken}); realm roles {@code CloudOps.Viewer},
 * {@code CloudOps.Operator}, {@code CloudOps.Admin} put into a top-level {@code roles} claim of access and ID
 * tokens; one user per role and one whose only role is not a CloudOps one ({@link #USERS}).
 */
public final class KeycloakServer implements AutoCloseable {

    /** A user of the test realm: the realm role it holds and the control plane role it should map to. */
    public record User(String username, String password, String displayName, String realmRole, String role) {
    }

    public static final String REALM = "cloudops";
    public static final String CLIENT_ID = "cloudops";
    public static final String CLIENT_SECRET = "cloudops-test-secret";
    /** The value of {@code OIDC_ROLE_MAP} that maps the realm's roles to the control plane's. */
    public static final String ROLE_MAP = "CloudOps.Admin=admin,CloudOps.Operator=operator,CloudOps.Viewer=viewer";
    public static final User VIEWER = new User("vera.viewer", "viewer-pass", "Vera Viewer", "CloudOps.Viewer",
            "viewer");
    public static final User OPERATOR = new User("otto.operator", "operator-pass", "Otto Operator",
            "CloudOps.Operator", "operator");
    public static final User ADMIN = new User("ada.admin", "admin-pass", "Ada Admin", "CloudOps.Admin", "admin");
    /** Signed in, but only with a role of another application: must get no access at all. */
    public static final User NO_ROLE = new User("nora.norole", "norole-pass", "Nora Norole", "Billing.Reader", null);
    public static final List<User> USERS = List.of(VIEWER, OPERATOR, ADMIN, NO_ROLE);

    private static final Logger LOG = Logger.getLogger(KeycloakServer.class);
    private static final String REALM_RESOURCE = "/keycloak/cloudops-realm.json";
    /** Here {@code start-dev} is up in about 50 s on two cores; a busy build machine gets four times that. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Environment variables that would configure Keycloak or its JVM behind the test's back. */
    private static final List<String> CONFIG_PREFIXES = List.of("KC_", "KEYCLOAK_", "JAVA_OPTS", "QUARKUS_",
            "JAVA_TOOL_OPTIONS");

    private final Process process;
    private final int port;
    private final Path log;
    private final Duration startup;

    private KeycloakServer(Process process, int port, Path log, Duration startup) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startup = startup;
    }

    /**
     * Starts Keycloak and waits until the realm's discovery document is served. Without the unpacked distribution
     * (a run that skipped Maven's {@code pre-integration-test} phase, such as an IDE) the caller's test is skipped,
     * loudly; on CI ({@code CI=true}) that is a failure.
     */
    public static KeycloakServer start() {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-missing"))
                .toAbsolutePath();
        Path kcSh = home.resolve("bin").resolve("kc.sh");
        if (!Files.isExecutable(kcSh)) {
            String why = "Keycloak is not unpacked at " + home + ": mvn verify unpacks"
                    + " org.keycloak:keycloak-quarkus-dist (zip) there in pre-integration-test, and sets -Dkeycloak.home";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why);
            }
            LOG.warn("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        try {
            Path importDir = Files.createDirectories(home.resolve("data").resolve("import"));
            try (InputStream realm = KeycloakServer.class.getResourceAsStream(REALM_RESOURCE)) {
                if (realm == null) {
                    fail("the test realm " + REALM_RESOURCE + " is not on the test classpath");
                }
                Files.copy(realm, importDir.resolve("cloudops-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            Path log = home.getParent().resolve("server.log");
            int port = Ports.freePort();
            String url = "http://127.0.0.1:" + port;
            Files.writeString(log, "==== Keycloak at %s, started %s from %s%n".formatted(url, Instant.now(), home),
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            ProcessBuilder builder = new ProcessBuilder(kcSh.toString(), "start-dev",
                    "--http-host=127.0.0.1",
                    "--http-port=" + port,
                    // unused (nothing is exposed there), but a fixed 9000 would clash with anything else on it
                    "--http-management-port=" + Ports.freePort(),
                    // one issuer whatever address a client uses
                    "--hostname=" + url,
                    // a fresh realm on every start: the import is the whole state
                    "--db=dev-mem",
                    "--import-realm",
                    // sign-ins, code exchanges and sign-outs in the log, for a browser test that fails mid-flow
                    "--log-level=INFO,org.keycloak.events:DEBUG")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> CONFIG_PREFIXES.stream().anyMatch(name::startsWith));
            env.put("JAVA_HOME", System.getProperty("java.home"));
            // Keycloak 26.5's JBoss Threads resets thread locals through java.lang internals, which Java 24+ keeps
            // closed unless opened: without this its worker threads die with IllegalAccessError as they end
            env.put("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED");
            LOG.infof("Starting Keycloak on %s with the JDK at %s (log: %s)", url, System.getProperty("java.home"),
                    log);
            Instant started = Instant.now();
            Process process = builder.start();
            // even when the test JVM ends without closing this, Keycloak (kc.sh's child JVM) goes with it
            Runtime.getRuntime().addShutdownHook(new Thread(() -> kill(process), "keycloak-kill"));
            URI discovery = URI.create(issuer(port) + "/.well-known/openid-configuration");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            try {
                await("Keycloak serving realm " + REALM + " (log: " + log + ")")
                        .atMost(START_TIMEOUT)
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .failFast("Keycloak exited during start-up (log: " + log + ")", () -> !process.isAlive())
                        .until(() -> http.send(HttpRequest.newBuilder(discovery)
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200);
            } catch (RuntimeException e) {
                kill(process);
                throw e;
            }
            Duration startup = Duration.between(started, Instant.now());
            LOG.infof("Keycloak is up on %s after %d ms (log: %s)", url, startup.toMillis(), log);
            return new KeycloakServer(process, port, log, startup);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The issuer, which is what {@code OIDC_AUTH_SERVER_URL} names. */
    public String issuer() {
        return issuer(port);
    }

    private static String issuer(int port) {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** From the start of {@code kc.sh} until the realm's discovery document was served. */
    public Duration startup() {
        return startup;
    }

    /** The configuration of a control plane that signs in through this Keycloak. */
    public Map<String, String> oidcEnvironment() {
        return Map.of(
                "DEMO_MODE", "false",
                "OIDC_AUTH_SERVER_URL", issuer(),
                "OIDC_CLIENT_ID", CLIENT_ID,
                "OIDC_CLIENT_SECRET", CLIENT_SECRET,
                "OIDC_ROLES_CLAIM", "roles",
                "OIDC_ROLE_MAP", ROLE_MAP);
    }

    /** An access token for {@code user} from the token endpoint (resource owner password grant). */
    public String accessToken(User user) {
        return given()
                .formParam("grant_type", "password")
                .formParam("client_id", CLIENT_ID)
                .formParam("client_secret", CLIENT_SECRET)
                .formParam("username", user.username())
                .formParam("password", user.password())
                .formParam("scope", "openid")
                .post(tokenEndpoint())
                .then().statusCode(200)
                .extract().path("access_token");
    }

    /** The claims of a JWT, read without checking its signature (the application under test checks it). */
    public static Map<String, Object> claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            fail("not a JWS compact serialization: " + parts.length + " parts");
        }
        try {
            return new ObjectMapper().readValue(Base64.getUrlDecoder().decode(parts[1]),
                    new TypeReference<Map<String, Object>>() {
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM to {@code kc.sh}, which passes it on to Keycloak's JVM; force after {@link #STOP_TIMEOUT}. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            LOG.warnf("Keycloak did not stop within %s: killing it (log: %s)", STOP_TIMEOUT, log);
        }
        kill(process, children);
        LOG.infof("Keycloak stopped (log: %s)", log);
    }

    private static void kill(Process process) {
        kill(process, process.descendants().toList());
    }

    private static void kill(Process process, List<ProcessHandle> children) {
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        children.forEach(child -> child.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .exceptionally(e -> child).join());
    }
}
