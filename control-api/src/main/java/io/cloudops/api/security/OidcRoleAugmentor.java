package io.cloudops.api.security;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.cloudops.api.config.PlatformConfig;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns a signed-in OIDC identity into one of ours: its token roles (from {@code OIDC_ROLES_CLAIM})
 * are replaced by the roles {@code OIDC_ROLE_MAP} grants, each with the roles it includes, and its
 * name is readable ({@code preferred_username}, {@code upn}, {@code name}, then {@code sub}). The token
 * roles stay as attribute {@value #TOKEN_ROLES} so that a refusal can say what the token carried.
 * Demo identities and anonymous requests pass unchanged.
 */
@ApplicationScoped
public class OidcRoleAugmentor implements SecurityIdentityAugmentor {

    /** Attribute: the roles the token carried (a {@code Set<String>}), before mapping. */
    public static final String TOKEN_ROLES = "cloudops.token-roles";

    private final RoleMap roleMap;

    OidcRoleAugmentor(PlatformConfig config) {
        // outside demo mode CloudOpsMain has refused to start with a role map that cannot be read
        this.roleMap = config.demoMode()
                ? RoleMap.parseOr(config.oidc().roleMap(), RoleMap.DEFAULT)
                : RoleMap.parse(config.oidc().roleMap());
    }

    public RoleMap roleMap() {
        return roleMap;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute("demo") != null) {
            return Uni.createFrom().item(identity);
        }
        Set<String> tokenRoles = Set.copyOf(identity.getRoles());
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(readable(identity.getPrincipal()))
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addAttribute(TOKEN_ROLES, tokenRoles)
                .addRoles(roleMap.grant(tokenRoles));
        return Uni.createFrom().item(builder.build());
    }

    /** The token's principal under a name people read; other claims stay reachable through it. */
    static Principal readable(Principal principal) {
        if (!(principal instanceof JsonWebToken jwt)) {
            return principal == null ? new QuarkusPrincipal("unknown") : principal;
        }
        String name = Optional.<String>ofNullable(claim(jwt, "preferred_username"))
                .or(() -> Optional.ofNullable(claim(jwt, "upn")))
                .or(() -> Optional.ofNullable(claim(jwt, "name")))
                .or(() -> Optional.ofNullable(jwt.getSubject()))
                .orElse(jwt.getName());
        return new NamedToken(jwt, name);
    }

    private static String claim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        String text = value == null ? null : value.toString().strip();
        return text == null || text.isEmpty() ? null : text;
    }

    /** A token whose {@link #getName()} is the readable name. */
    record NamedToken(JsonWebToken token, String name) implements JsonWebToken {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public Set<String> getClaimNames() {
            return token.getClaimNames();
        }

        @Override
        public <T> T getClaim(String claimName) {
            return token.getClaim(claimName);
        }
    }
}
