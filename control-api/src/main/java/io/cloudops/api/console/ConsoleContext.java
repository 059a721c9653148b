package io.cloudops.api.console;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.security.DemoAuthenticationMechanism;
import io.cloudops.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * Who is looking at a console page, for the navbar and the role switcher: templates read it as
 * {@code {inject:console.role}}. It only shows; the API and the page resources enforce the roles.
 */
@RequestScoped
@Named("console")
public class ConsoleContext {

    /** Where quarkus-rest-csrf's filter leaves the request's token (its CsrfTokenParameterProvider reads it there). */
    private static final String CSRF_TOKEN_ATTRIBUTE = "csrf_token";

    private final SecurityIdentity identity;
    private final boolean demoMode;
    private final CurrentVertxRequest request;

    ConsoleContext(SecurityIdentity identity, PlatformConfig config, CurrentVertxRequest request) {
        this.identity = identity;
        this.demoMode = config.demoMode();
        this.request = request;
    }

    /**
     * The request's CSRF token for the layout's meta tag (console.js sends it as X-CSRF-Token), or an
     * empty string when the CSRF filter did not run: an error page for a request refused before it
     * (a 403 for a token without an accepted role) must still render, and offers no action.
     */
    public String csrfToken() {
        Object token = request.getCurrent() == null ? null : request.getCurrent().get(CSRF_TOKEN_ATTRIBUTE);
        return token == null ? "" : token.toString();
    }

    /** The signed-in user's name, or {@code anonymous}. */
    public String user() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    /** The most privileged role the user has ({@code viewer}, {@code operator}, {@code admin}), or {@code none}. */
    public String role() {
        for (int i = Roles.ALL.size() - 1; i >= 0; i--) {
            if (identity.hasRole(Roles.ALL.get(i))) {
                return Roles.ALL.get(i);
            }
        }
        return "none";
    }

    public boolean canOperate() {
        return identity.hasRole(Roles.OPERATOR);
    }

    public boolean isAdmin() {
        return identity.hasRole(Roles.ADMIN);
    }

    /** Demo mode: the role switcher is shown and sets {@value DemoAuthenticationMechanism#ROLE_COOKIE}. */
    public boolean demoMode() {
        return demoMode;
    }

    /** The roles the demo switcher offers, least privileged first. */
    public List<String> roles() {
        return Roles.ALL;
    }

    /** The users the demo switcher offers (one requests, another approves). */
    public List<String> users() {
        return DemoAuthenticationMechanism.DEMO_USERS;
    }

    /** Whether the user may approve or reject tasks that ask for {@code approverRole}. */
    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }
}
