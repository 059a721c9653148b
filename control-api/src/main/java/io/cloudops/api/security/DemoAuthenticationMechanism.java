package io.cloudops.api.security;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.common.security.Roles;
import io.quarkus.security.AuthenticationFailedException;
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
 * Demo mode's sign-in: every request is the user {@code demo}, or another of {@link #DEMO_USERS}
 * (so that a four-eyes approval can be tried: one user requests, another approves), with the role
 * chosen in the UI's switchers (cookies {@value #ROLE_COOKIE}, {@value #USER_COOKIE}) or by API
 * clients ({@value #ROLE_HEADER}, {@value #USER_HEADER}); admin when nothing says otherwise. An
 * unknown demo user is refused (401), not silently replaced. Outside demo mode it authenticates
 * nobody, and OIDC takes over.
 */
@ApplicationScoped
@Priority(1)
public class DemoAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String ROLE_HEADER = "X-Demo-Role";
    public static final String ROLE_COOKIE = "cloudops-demo-role";
    public static final String DEMO_USER = "demo";
    public static final String USER_HEADER = "X-Demo-User";
    public static final String USER_COOKIE = "cloudops-demo-user";
    /** The users demo mode offers; the first is the default. */
    public static final List<String> DEMO_USERS = List.of(DEMO_USER, "alice", "bob", "carol");

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
        String user = context.request().getHeader(USER_HEADER);
        if (user == null && context.request().getCookie(USER_COOKIE) != null) {
            user = context.request().getCookie(USER_COOKIE).getValue();
        }
        user = user == null ? DEMO_USER : user.strip().toLowerCase(Locale.ROOT);
        if (!DEMO_USERS.contains(user)) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "unknown demo user; " + USER_HEADER + " must be one of " + String.join(", ", DEMO_USERS)));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user))
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
