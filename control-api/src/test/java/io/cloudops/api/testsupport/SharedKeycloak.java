package io.cloudops.api.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link KeycloakServer} for the whole test JVM, started on first use and stopped when JUnit finishes
 * (it lives in the root context's store, which closes it). Register it as a static field,
 * {@code @RegisterExtension static final SharedKeycloak KEYCLOAK = new SharedKeycloak();}, and call
 * {@link #server()} from {@code @BeforeAll} once the test has decided it runs at all, so that a skipped test
 * costs no Keycloak start.
 */
public final class SharedKeycloak implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedKeycloak.class);

    private ExtensionContext root;

    @Override
    public void beforeAll(ExtensionContext context) {
        root = context.getRoot();
    }

    /** The running server, started now if no test of this JVM has started it yet. */
    public KeycloakServer server() {
        if (root == null) {
            throw new IllegalStateException(
                    "SharedKeycloak must be registered with @RegisterExtension on a static field");
        }
        return root.getStore(NAMESPACE).computeIfAbsent(KeycloakServer.class, type -> KeycloakServer.start(),
                KeycloakServer.class);
    }
}
