package io.cloudops.common.security;

import java.util.List;
import java.util.Set;

/**
 * The three roles of PRODUCT.md section 7. They nest: an operator may do what a viewer may, an
 * admin what an operator may. Identities carry every role they include so that endpoints can name
 * the least role they need.
 */
public final class Roles {

    /** Reads everything. */
    public static final String VIEWER = "viewer";
    /** Runs operations (deploy, backup, restart, ...). */
    public static final String OPERATOR = "operator";
    /** Settings, dead letters, projects. */
    public static final String ADMIN = "admin";

    /** Least to most privileged. */
    public static final List<String> ALL = List.of(VIEWER, OPERATOR, ADMIN);

    private Roles() {
    }

    /** The role and every role it includes, or an empty set for an unknown role. */
    public static Set<String> including(String role) {
        int index = ALL.indexOf(role);
        return index < 0 ? Set.of() : Set.copyOf(ALL.subList(0, index + 1));
    }
}
