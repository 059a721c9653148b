package io.cloudops.api.testsupport;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Notifications with somewhere to go: the global Teams webhook and email recipients point at
 * {@link NotificationReceivers} (a local webhook receiver and SMTP server), and diagnostic tasks
 * notify too (they do not by default), so tests can produce every outcome quickly. The route limit
 * keeps its defaults (5 at once, 10 a minute) with a short digest window, and sandboxes get their
 * expiry notices 6 s and 3 s ahead, checked every second, so a sandbox expiring in seconds shows them.
 */
public class NotificationProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("cloudops.notify.diagnostic-tasks", "true", "cloudops.notify.digest-window", "3s",
                "cloudops.notify.sandbox-notice-offsets", "6s,3s", "cloudops.notify.sandbox-notice-interval", "1s",
                "cloudops.operations.sandbox.expiry-check-interval", "1s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(NotificationReceivers.class));
    }
}
