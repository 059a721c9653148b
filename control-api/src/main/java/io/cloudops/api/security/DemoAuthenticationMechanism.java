package io.cloudops.api.security;

import java.util.Collections;
import java.util.Locale;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.common.security.Roles;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Demo mode's sign-in: every request is the user {@code demo}, with the role chosen in the UI's
 * role switcher (cookie {@value #ROLE_COOKIE}) or by API clients ({@value #ROLE_HEADER}); admin
 * when neither says otherwise. Outside demo mode it authenticates nobody, and OIDC takes over.
 */
@ApplicationScoped
@Priority(1)
public class DemoAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String ROLE_HEADER = "X-Demo-Role";
    public static final String ROLE_COOKIE = "cloudops-demo-role";
    public static final String DEMO_USER = "demo";

    private final boolean demoMode;

    DemoAuthenticationMechanism(PlatformConfig config) {
        this.demoMode = config.demoMode();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!demoMode) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        String role = context.request().getHeader(ROLE_HEADER);
        if (role == null && context.request().getCookie(ROLE_COOKIE) != null) {
            role = context.request().getCookie(ROLE_COOKIE).getValue();
        }
        role = role == null ? Roles.ADMIN : role.strip().toLowerCase(Locale.ROOT);
        Set<String> roles = Roles.including(role);
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(DEMO_USER))
                .addRoles(roles)
                .addAttribute("demo", true)
                .build());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Collections.emptySet();
    }
}
