package io.cloudops.api.schedule;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How schedules are polled and caught up ({@link SchedulePoller}). Environment variables:
 * {@code SCHEDULE_POLL_INTERVAL}, {@code SCHEDULE_CATCH_UP_WINDOW}.
 */
@ConfigMapping(prefix = "cloudops.schedules")
public interface ScheduleConfig {

    /**
     * How often every instance looks for due schedules (also read by the poller's {@code @Scheduled}):
     * a duration such as {@code 5s}, or {@code off} to poll nowhere (tests drive the poller themselves).
     * A run fires at most this late.
     */
    @WithDefault("5s")
    String pollInterval();

    /**
     * How late a due time may still fire: one older than this when the poller sees it (after an
     * outage, or while every instance was down) is recorded as {@code missed} and not fired.
     */
    @WithDefault("60s")
    Duration catchUpWindow();

    /** How many schedules one poll claims at most (one transaction each); the rest wait for the next poll. */
    @WithDefault("50")
    int batchSize();
}
