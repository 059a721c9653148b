package io.cloudops.api.live;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.cloudops.orchestrator.client.TaskEventRelayConfig;

/**
 * Readiness of the cross-instance event relay ({@code /q/health/ready}, check
 * {@code task-event-relay}). With the relay on, an instance whose listener is not connected would
 * show its browsers no live events of other processes, so it reports DOWN until the listener is
 * back (it reconnects by itself) and a load balancer sends browsers to an instance that can serve
 * them. With the relay off (the embedded default) there is nothing to check.
 */
@Readiness
@ApplicationScoped
public class TaskEventRelayHealth implements HealthCheck {

    static final String NAME = "task-event-relay";

    private final TaskEventRelay relay;
    private final TaskEventRelayConfig config;

    TaskEventRelayHealth(TaskEventRelay relay, TaskEventRelayConfig config) {
        this.relay = relay;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        if (!config.relayEnabled()) {
            return HealthCheckResponse.named(NAME).up().withData("relay", "off").build();
        }
        if (relay.isListening()) {
            return HealthCheckResponse.named(NAME).up().withData("relay", "listening").build();
        }
        return HealthCheckResponse.named(NAME).down().withData("relay", "not listening; reconnecting").build();
    }
}
