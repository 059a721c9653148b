package io.cloudops.orchestrator.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.cloudops.common.task.TaskPlan;
import io.cloudops.common.task.TaskType;

/**
 * The plans of every task type this process may accept: the standard operations of
 * {@link TaskType} and any {@link TaskPlan} CDI bean (an extension's or a test's operation). The
 * accepting side needs only these, never a handler, which is what lets control-api accept tasks in
 * the distributed topology without any handler code.
 */
@ApplicationScoped
public class TaskPlans {

    private final Map<String, TaskPlan> plans = new LinkedHashMap<>();

    TaskPlans(Instance<TaskPlan> beans) {
        for (TaskType type : TaskType.values()) {
            plans.put(type.type(), type);
        }
        for (TaskPlan plan : beans) {
            TaskPlan previous = plans.putIfAbsent(plan.type(), plan);
            if (previous != null && previous != plan) {
                throw new IllegalStateException(
                        "Two plans for task type " + plan.type() + ": " + previous + ", " + plan);
            }
        }
    }

    public Optional<TaskPlan> find(String type) {
        return Optional.ofNullable(plans.get(type));
    }

    public Set<String> types() {
        return plans.keySet();
    }
}
