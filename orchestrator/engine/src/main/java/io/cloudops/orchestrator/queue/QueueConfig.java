package io.cloudops.orchestrator.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Queue hygiene and busy policies (docs/change-safety.md). The engine library's
 * {@code META-INF/microprofile-config.properties} maps {@code QUEUE_MAX_AGE} and
 * {@code BUSY_POLICIES} onto these keys.
 */
@ConfigMapping(prefix = "cloudops.queue")
public interface QueueConfig {

    /**
     * The busy policy per task type, e.g. {@code cloudops.queue.busy-policy."db_restore"=cancel-running}.
     * Types not named here queue (FIFO).
     */
    Map<String, BusyPolicy> busyPolicy();

    /**
     * {@code BUSY_POLICIES}: the same as a list of {@code type=policy} entries, for the environment
     * (task types contain underscores, which environment variable names cannot tell from dots), e.g.
     * {@code BUSY_POLICIES=deployment=replace-pending,restart_workload=skip-if-busy}.
     */
    Optional<List<String>> busyPolicies();

    /**
     * {@code QUEUE_MAX_AGE}: a queued task that has not started this long after it was accepted ends
     * {@code expired}. Unset (the default): queued tasks wait as long as it takes.
     */
    Optional<Duration> maxAge();
}
