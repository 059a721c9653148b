package io.cloudops.api.testsupport;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The application behind a {@link StalledDatabaseResource} proxy, with a short entity lease and
 * short database timeouts, for the fault tests (a database that stops answering mid-run, API calls
 * during a stall). One profile for all of them: each profile costs an application start.
 *
 * <p>
 * The figures keep the rules the application checks at start: statement timeout &lt; socket
 * timeout &lt; lease safety margin &lt; lease. The tests derive their bounds from this configuration.
 */
public class StalledDatabaseProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("cloudops.engine.lease-duration", "6s"),
                Map.entry("cloudops.engine.lease-safety-margin", "3s"),
                Map.entry("cloudops.engine.sweep-interval", "500ms"),
                Map.entry("cloudops.engine.accept-commit-timeout", "3s"),
                Map.entry("cloudops.datasource.connect-timeout-seconds", "1"),
                Map.entry("cloudops.datasource.login-timeout-seconds", "1"),
                Map.entry("cloudops.datasource.socket-timeout-seconds", "2"),
                Map.entry("cloudops.datasource.statement-timeout-ms", "1500"),
                Map.entry("cloudops.datasource.acquisition-timeout-seconds", "2"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StalledDatabaseResource.class));
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}
