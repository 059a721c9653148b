package io.cloudops.common.project;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Kind of an environment. Only sandboxes carry a time to live; the others live until deleted.
 */
public enum EnvironmentType {
    SANDBOX("sandbox"), DEV("dev"), STAGE("stage"), PROD("prod");

    private final String value;

    EnvironmentType(String value) {
        this.value = value;
    }

    /** The wire and database spelling (lower case). */
    @JsonValue
    public String value() {
        return value;
    }

    public boolean hasTtl() {
        return this == SANDBOX;
    }
}
