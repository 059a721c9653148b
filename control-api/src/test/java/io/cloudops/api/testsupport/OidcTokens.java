package io.cloudops.api.testsupport;

import java.util.List;
import java.util.Map;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Bearer tokens signed with the key of {@link io.quarkus.test.oidc.server.OidcWiremockTestResource}
 * (its issuer, its key id), carrying roles the way {@link OidcModeProfile} reads them: in
 * {@code resource_access.cloudops.roles}, with the provider's role names ({@code CloudOps.Viewer}).
 */
public final class OidcTokens {

    static final String ISSUER = "https://server.example.com";

    private OidcTokens() {
    }

    /** A token for {@code user} whose provider roles ({@code CloudOps.Operator}, ...) are {@code tokenRoles}. */
    public static String withTokenRoles(String user, String... tokenRoles) {
        return sign(base().preferredUserName(user).subject("sub-" + user)
                .claim("resource_access", Map.of(OidcModeProfile.CLIENT_ID, Map.of("roles", List.of(tokenRoles)))));
    }

    /** A token granting one of our roles ({@code viewer}, {@code operator}, {@code admin}) through the role map. */
    public static String forRole(String role) {
        return withTokenRoles(role + "-user", "CloudOps." + Character.toUpperCase(role.charAt(0)) + role.substring(1));
    }

    /** A token with claims of the caller's choosing on top of issuer, audience and expiry. */
    public static String withClaims(Map<String, Object> claims) {
        JwtClaimsBuilder builder = base();
        claims.forEach(builder::claim);
        return sign(builder);
    }

    private static JwtClaimsBuilder base() {
        return Jwt.issuer(ISSUER).audience(ISSUER).expiresIn(3600);
    }

    private static String sign(JwtClaimsBuilder builder) {
        return builder.jws().keyId("1").sign("privateKey.jwk");
    }
}
