package io.cloudops.api.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cloudops.api.problem.ApiException;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.common.ops.OperationParams;

/**
 * Checks the {@code params} of operations that take no parameters of their own (sandboxes,
 * restarts): only {@code simulate} is accepted, with a valid value. Anything else is a 422 naming
 * {@code params.<name>}, before a task is enqueued.
 */
public final class OperationParameters {

    private OperationParameters() {
    }

    public static void requireOnlySimulate(Map<String, Object> params) {
        if (params == null || params.isEmpty()) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        params.forEach((name, value) -> {
            if (!name.equals(OperationParams.SIMULATE)) {
                errors.add(new FieldError("params." + name, "is not a parameter of this operation (only "
                        + OperationParams.SIMULATE + ")"));
            } else if (!(value instanceof String text) || !OperationParams.SIMULATE_VALUES.matcher(text).matches()) {
                errors.add(new FieldError("params." + name, OperationParams.SIMULATE_MESSAGE));
            }
        });
        if (!errors.isEmpty()) {
            errors.sort((a, b) -> a.field().compareTo(b.field()));
            throw ApiException.invalidFields(errors);
        }
    }
}
