package io.cloudops.common.project;

import io.cloudops.common.Sha256;

/**
 * The Kubernetes namespace of an environment: {@code <project>-<environment>} (e.g.
 * {@code payments-dev}, {@code payments-sandbox-1a2b3c4d}). Project and environment names are
 * already DNS labels, so the joined name is one too as long as it fits in 63 characters; a longer
 * one is cut to 54 characters and suffixed with {@code -} and 8 hex characters of its SHA-256,
 * which keeps it unique and stable. Shared by the API (which shows it) and the orchestrator (which
 * deploys into it).
 */
public final class EnvironmentNamespace {

    /** Longest DNS label, the limit Kubernetes puts on namespace names. */
    public static final int MAX_LENGTH = 63;
    private static final int HASH_LENGTH = 8;

    private EnvironmentNamespace() {
    }

    public static String of(String projectName, String environmentName) {
        String joined = projectName + "-" + environmentName;
        if (joined.length() <= MAX_LENGTH) {
            return joined;
        }
        String head = joined.substring(0, MAX_LENGTH - HASH_LENGTH - 1);
        while (head.endsWith("-")) {
            head = head.substring(0, head.length() - 1);
        }
        return head + "-" + Sha256.hex(joined).substring(0, HASH_LENGTH);
    }

}
