package io.cloudops.orchestrator.handler;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.cloudops.orchestrator.client.TaskPlans;

/** Handlers by task type, from the CDI beans implementing {@link TaskHandler} (no classpath scanning). */
@ApplicationScoped
public class HandlerRegistry {

    private final Map<String, TaskHandler> handlers;

    HandlerRegistry(Instance<TaskHandler> beans, TaskPlans plans) {
        this.handlers = beans.stream().collect(Collectors.toUnmodifiableMap(TaskHandler::type, Function.identity()));
        handlers.keySet().stream().filter(type -> plans.find(type).isEmpty()).findFirst().ifPresent(type -> {
            throw new IllegalStateException("Handler for task type " + type
                    + " has no plan: add it to io.cloudops.common.task.TaskType or declare a TaskPlan bean");
        });
    }

    public Optional<TaskHandler> find(String type) {
        return Optional.ofNullable(handlers.get(type));
    }

    public Set<String> types() {
        return handlers.keySet();
    }
}
