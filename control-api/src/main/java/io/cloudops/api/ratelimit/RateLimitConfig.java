package io.cloudops.api.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How many tasks one principal may submit ({@link TaskRateLimiter}). {@code application.properties}
 * maps the environment variables onto these keys.
 */
@ConfigMapping(prefix = "cloudops.rate-limit")
public interface RateLimitConfig {

    /**
     * {@code RATE_LIMIT_TASKS_PER_MINUTE}: task-creating requests a principal may make per minute,
     * sustained. 0 switches the limit off (benchmarks).
     */
    @WithDefault("60")
    int tasksPerMinute();

    /** {@code RATE_LIMIT_TASKS_BURST}: how many of them may come at once, after a quiet spell. */
    @WithDefault("30")
    int tasksBurst();
}
