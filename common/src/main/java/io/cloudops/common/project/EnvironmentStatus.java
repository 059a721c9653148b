package io.cloudops.common.project;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Lifecycle of an environment: sandboxes move from active to expiring to expired as their TTL
 * runs out; other environments stay active.
 */
public enum EnvironmentStatus {
    ACTIVE("active"), EXPIRING("expiring"), EXPIRED("expired");

    private final String value;

    EnvironmentStatus(String value) {
        this.value = value;
    }

    /** The wire and database spelling (lower case). */
    @JsonValue
    public String value() {
        return value;
    }
}
