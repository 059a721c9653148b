package io.cloudops.api.audit;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JAX-RS method that may change something (POST, PUT, PATCH, DELETE) names its audit action
 * with {@link Audited}, so a new mutating endpoint or form that forgets it breaks the build. The
 * few that change nothing stored are listed here, each with the reason.
 */
class AuditCoverageTest {

    /** {@code Class#method} of mutating-verb methods that change nothing stored. */
    private static final Set<String> CHANGE_NOTHING = Set.of(
            // computes an estimate
            "io.cloudops.api.cost.CostEstimateResource#estimatePlan",
            "io.cloudops.api.console.CostPage#estimate",
            // set the demo role and user cookies of the caller's own browser
            "io.cloudops.api.console.SettingsPage#switchRole",
            "io.cloudops.api.console.SettingsPage#switchUser",
            // answers 404 problems for unknown /api routes
            "io.cloudops.api.problem.UnknownApiRouteResource#unknownPost",
            "io.cloudops.api.problem.UnknownApiRouteResource#unknownPut",
            "io.cloudops.api.problem.UnknownApiRouteResource#unknownDelete",
            "io.cloudops.api.problem.UnknownApiRouteResource#unknownPatch");

    @Test
    void everyMutatingMethodNamesItsAuditAction() throws Exception {
        List<String> mutating = new ArrayList<>();
        List<String> unaudited = new ArrayList<>();
        for (Class<?> type : applicationClasses()) {
            for (Method method : type.getDeclaredMethods()) {
                if (!mutating(method)) {
                    continue;
                }
                String name = type.getName() + "#" + method.getName();
                mutating.add(name);
                if (method.getAnnotation(Audited.class) == null && !CHANGE_NOTHING.contains(name)) {
                    unaudited.add(name);
                }
            }
        }
        assertThat(mutating).as("mutating methods found (the scan works)").hasSizeGreaterThan(20)
                .containsAll(CHANGE_NOTHING);
        assertThat(unaudited).as("mutating JAX-RS methods without @Audited").isEmpty();
    }

    private static boolean mutating(Method method) {
        return method.isAnnotationPresent(POST.class) || method.isAnnotationPresent(PUT.class)
                || method.isAnnotationPresent(PATCH.class) || method.isAnnotationPresent(DELETE.class);
    }

    /** The classes of control-api's main code (target/classes), loaded without initialising them. */
    private static List<Class<?>> applicationClasses() throws IOException, URISyntaxException {
        Path root = Path.of(AuditActions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                try {
                    classes.add(Class.forName(name, false, AuditCoverageTest.class.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("cannot load " + name, e);
                }
            }
        }
        return classes;
    }
}
