package io.cloudops.api.security;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.cloudops.common.security.Roles;

/**
 * {@code OIDC_ROLE_MAP}: which token role grants which of our roles
 * ({@code CloudOps.Admin=admin,CloudOps.Operator=operator,CloudOps.Viewer=viewer}). A token role
 * that is not in the map grants nothing; a granted role brings every role it includes.
 */
public record RoleMap(Map<String, String> tokenToOurs) {

    /** Our role names map to themselves. */
    public static final RoleMap DEFAULT = parse("viewer=viewer,operator=operator,admin=admin");

    public RoleMap {
        tokenToOurs = Map.copyOf(tokenToOurs);
    }

    /** Parses {@code token=ours,...}; an entry without {@code =} or naming an unknown role is an error. */
    public static RoleMap parse(String spec) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            String token = eq < 0 ? "" : entry.substring(0, eq).strip();
            String ours = eq < 0 ? "" : entry.substring(eq + 1).strip();
            if (token.isEmpty() || !Roles.ALL.contains(ours)) {
                throw new IllegalArgumentException("OIDC_ROLE_MAP entry '" + entry.strip()
                        + "' must be <token role>=<" + String.join("|", Roles.ALL) + ">");
            }
            map.put(token, ours);
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("OIDC_ROLE_MAP maps no token role to a role of ours");
        }
        return new RoleMap(map);
    }

    /** As {@link #parse}, or {@code fallback} when {@code spec} cannot be read. */
    public static RoleMap parseOr(String spec, RoleMap fallback) {
        try {
            return parse(spec);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** Our roles for these token roles, each with the roles it includes. */
    public Set<String> grant(Collection<String> tokenRoles) {
        Set<String> granted = new TreeSet<>();
        for (String tokenRole : tokenRoles) {
            String ours = tokenToOurs.get(tokenRole);
            if (ours != null) {
                granted.addAll(Roles.including(ours));
            }
        }
        return granted;
    }

    /** The token roles this server accepts, least privileged first ("CloudOps.Viewer (viewer), ..."). */
    public String accepted() {
        StringBuilder text = new StringBuilder();
        for (String ours : Roles.ALL) {
            tokenToOurs.forEach((token, role) -> {
                if (role.equals(ours)) {
                    text.append(text.isEmpty() ? "" : ", ").append(token).append(" (").append(ours).append(')');
                }
            });
        }
        return text.toString();
    }
}
