package io.cloudops.api.testsupport;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Notifications with somewhere to go: the global Teams webhook and email recipients point at
 * {@link NotificationReceivers} (a local webhook receiver and SMTP server), and diagnostic tasks
 * notify too (they do not by default), so tests can produce every outcome quickly.
 */
public class NotificationProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("cloudops.notify.diagnostic-tasks", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(NotificationReceivers.class));
    }
}
