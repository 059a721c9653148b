package io.cloudops.api.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.problem.Problems;
import io.cloudops.common.api.Problem;
import io.cloudops.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * What a refused request is told. The API and the live endpoints ({@code /api}, {@code /hubs})
 * answer problems and never redirect; console pages send an anonymous visitor to the provider's
 * sign-in (OIDC mode) and show a page to a signed-in user who lacks the role. A user whose token
 * carries none of the accepted roles is told which ones are accepted.
 */
@ApplicationScoped
public class AccessRefusals {

    private final boolean demoMode;
    private final String rolesClaim;
    private final RoleMap roleMap;

    AccessRefusals(PlatformConfig config, OidcRoleAugmentor augmentor) {
        this.demoMode = config.demoMode();
        this.rolesClaim = config.oidc().rolesClaim();
        this.roleMap = augmentor.roleMap();
    }

    /** Whether the path is a console page (not the API, the live hub or Quarkus' own endpoints). */
    public static boolean isPage(String path) {
        return path != null && !path.equals("/api") && !path.startsWith("/api/") && !path.startsWith("/hubs/")
                && !path.startsWith("/q/");
    }

    /** Anonymous visitors of pages go to the provider's sign-in; only with OIDC (demo mode signs everyone in). */
    public boolean signInByRedirect(String path) {
        return !demoMode && isPage(path);
    }

    /** The 403 problem for this identity: "which roles are accepted" when it has none of ours. */
    public Problem forbidden(SecurityIdentity identity, String instance) {
        if (hasNoAcceptedRole(identity)) {
            return Problems.noAcceptedRole(instance, rolesClaim, roleMap.accepted(), tokenRoles(identity));
        }
        return Problems.forbidden(instance);
    }

    /** The sentence a console page shows instead of the problem. */
    public String forbiddenPageMessage(SecurityIdentity identity) {
        if (hasNoAcceptedRole(identity)) {
            return "You are signed in as " + identity.getPrincipal().getName()
                    + ", but your account has none of the roles this console accepts (" + roleMap.accepted()
                    + "). Ask an administrator to assign you one, then sign in again.";
        }
        return "Your role does not allow this page or action.";
    }

    private boolean hasNoAcceptedRole(SecurityIdentity identity) {
        return identity != null && !identity.isAnonymous() && !demoMode && !identity.hasRole(Roles.VIEWER);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> tokenRoles(SecurityIdentity identity) {
        Object roles = identity.getAttribute(OidcRoleAugmentor.TOKEN_ROLES);
        return roles instanceof Set<?> set ? (Set<String>) set : identity.getRoles();
    }
}
