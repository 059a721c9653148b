package io.cloudops.orchestrator.queue;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.orchestrator.client.TaskPlans;

/**
 * The busy policy of each task type, from {@link QueueConfig}: validated at start (an unknown task
 * type or policy refuses to start, naming the entry), looked up on every submit.
 */
@ApplicationScoped
public class BusyPolicies {

    private final Map<String, BusyPolicy> byType;

    BusyPolicies(QueueConfig config, TaskPlans plans) {
        Map<String, BusyPolicy> policies = new HashMap<>(config.busyPolicy());
        for (String entry : config.busyPolicies().orElse(java.util.List.of())) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException(
                        "BUSY_POLICIES entry '" + entry + "' is not type=policy (e.g. deployment=skip-if-busy)");
            }
            policies.put(entry.substring(0, eq).trim(), BusyPolicy.fromValue(entry.substring(eq + 1)));
        }
        policies.keySet().stream().filter(type -> plans.find(type).isEmpty()).findFirst().ifPresent(type -> {
            throw new IllegalStateException("busy policy for unknown task type " + type + " (known: "
                    + plans.types() + ")");
        });
        this.byType = Map.copyOf(policies);
    }

    /** The policy of {@code type}; {@link BusyPolicy#QUEUE} unless configured. */
    public BusyPolicy of(String type) {
        return byType.getOrDefault(type, BusyPolicy.QUEUE);
    }
}
