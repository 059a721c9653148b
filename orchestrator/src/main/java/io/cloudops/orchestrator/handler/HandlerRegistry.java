package io.cloudops.orchestrator.handler;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** Handlers by task type, from the CDI beans implementing {@link TaskHandler} (no classpath scanning). */
@ApplicationScoped
public class HandlerRegistry {

    private final Map<String, TaskHandler> handlers;

    HandlerRegistry(Instance<TaskHandler> beans) {
        this.handlers = beans.stream().collect(Collectors.toUnmodifiableMap(TaskHandler::type, Function.identity()));
    }

    public Optional<TaskHandler> find(String type) {
        return Optional.ofNullable(handlers.get(type));
    }

    public Set<String> types() {
        return handlers.keySet();
    }
}
