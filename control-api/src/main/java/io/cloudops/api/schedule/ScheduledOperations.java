package io.cloudops.api.schedule;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.cloudops.api.problem.ApiException;

/** The operations schedules can run, by name: every {@link ScheduledOperation} bean. */
@ApplicationScoped
public class ScheduledOperations {

    private final Map<String, ScheduledOperation> byName;

    ScheduledOperations(Instance<ScheduledOperation> operations) {
        this.byName = operations.stream()
                .collect(Collectors.toMap(ScheduledOperation::name, Function.identity(), (a, b) -> {
                    throw new IllegalStateException("two scheduled operations named " + a.name());
                }, TreeMap::new));
    }

    /** The operation named {@code name}, or a 422 naming {@code operation} with the allowed names. */
    public ScheduledOperation find(String name) {
        ScheduledOperation operation = byName.get(name);
        if (operation == null) {
            throw ApiException.invalidField("operation", "must be one of " + String.join(", ", byName.keySet()));
        }
        return operation;
    }

    /** Every operation, by name. */
    public Map<String, ScheduledOperation> all() {
        return byName;
    }
}
