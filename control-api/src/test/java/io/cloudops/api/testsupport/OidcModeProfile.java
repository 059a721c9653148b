package io.cloudops.api.testsupport;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Production sign-in against Quarkus' WireMock OIDC provider ({@link OidcWiremockTestResource}):
 * {@code DEMO_MODE=false}, the product's OIDC settings pointing at the mock, roles read from a
 * nested claim ({@code resource_access/cloudops/roles}) and mapped through an Entra-style
 * {@code OIDC_ROLE_MAP}. {@link OidcTokens} signs the bearer tokens. Every OIDC-mode test uses this
 * one profile, so the app restarts once for all of them.
 */
public class OidcModeProfile implements QuarkusTestProfile {

    public static final String CLIENT_ID = "cloudops";
    public static final String ROLES_CLAIM = "resource_access/cloudops/roles";
    public static final String ROLE_MAP = "CloudOps.Admin=admin,CloudOps.Operator=operator,CloudOps.Viewer=viewer";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                // the product's variables, as an operator would set them
                "DEMO_MODE", "false",
                "OIDC_AUTH_SERVER_URL", "${keycloak.url}/realms/quarkus",
                "OIDC_CLIENT_ID", CLIENT_ID,
                "OIDC_CLIENT_SECRET", "test-secret",
                "OIDC_ROLES_CLAIM", ROLES_CLAIM,
                "OIDC_ROLE_MAP", ROLE_MAP,
                // the other tests' simulated operations, not the real adapters DEMO_MODE=false would pick
                "SIMULATED_OPERATIONS", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OidcWiremockTestResource.class));
    }
}
