package io.cloudops.api.testsupport;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The application with the task rate limit at its production defaults (60 per minute, bursts of
 * 30), which the rest of the suite raises because it submits hundreds of tasks as the one demo
 * user. The abuse-limit tests share it (the rate limit, the hostile-input suite and its volume
 * run), so the app restarts once for them, with a database of their own (Flyway cleans it at start):
 * row counts and limits see only what these tests do.
 */
public class AbuseLimitsProfile implements QuarkusTestProfile {

    /** The defaults of {@code io.cloudops.api.ratelimit.RateLimitConfig}. */
    public static final int TASKS_PER_MINUTE = 60;
    public static final int BURST = 30;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "cloudops.rate-limit.tasks-per-minute", String.valueOf(TASKS_PER_MINUTE),
                "cloudops.rate-limit.tasks-burst", String.valueOf(BURST));
    }
}
