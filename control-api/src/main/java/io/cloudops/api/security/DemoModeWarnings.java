package io.cloudops.api.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;

/**
 * Logs at start what demo mode meets that is real, once logging is set up ({@link DemoModeGuard}
 * decided before start; {@link io.cloudops.api.CloudOpsMain} has already refused what it refuses).
 */
@ApplicationScoped
class DemoModeWarnings {

    private static final Logger LOG = Logger.getLogger(DemoModeWarnings.class);

    void onStart(@Observes StartupEvent event) {
        switch (DemoModeGuard.decide(DemoModeGuard.read(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class)))) {
            case DemoModeGuard.Decision.Start start -> start.warnings().forEach(LOG::warn);
            // only reachable without CloudOpsMain (tests, dev mode), which do not enforce it
            case DemoModeGuard.Decision.Refuse refuse -> LOG.warnf("Not enforced in this launch: %s", refuse.message());
        }
    }
}
