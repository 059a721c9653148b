package io.cloudops.common.audit;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How an audited attempt ended: the change was made ({@code succeeded}), security refused it
 * ({@code denied}: 401 or 403, nothing was looked at), or it was refused on its merits
 * ({@code rejected}: invalid input, a conflict; nothing was changed).
 */
public enum AuditOutcome {
    SUCCEEDED("succeeded"), DENIED("denied"), REJECTED("rejected");

    private final String value;

    AuditOutcome(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<AuditOutcome> find(String value) {
        return Arrays.stream(values()).filter(o -> o.value.equals(value)).findFirst();
    }

    public static List<String> allowedValues() {
        return Arrays.stream(values()).map(AuditOutcome::value).toList();
    }
}
