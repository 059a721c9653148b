package io.cloudops.api.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cloudops.common.api.Problem.FieldError;

/**
 * A console form as it is rendered: the values to show, the idempotency key of the next submit,
 * and the outcome of the last one (the API's problem details next to their fields, the task link on
 * success). Field names are the API's JSON field names, so {@code errors[].field} lands next to the
 * input that caused it.
 */
public final class FormState {

    private final List<String> fields;
    private final Map<String, String> values;
    private final ActionOutcome outcome;
    private final String idempotencyKey;

    private FormState(List<String> fields, Map<String, String> values, ActionOutcome outcome, String idempotencyKey) {
        this.fields = List.copyOf(fields);
        this.values = values;
        this.outcome = outcome;
        this.idempotencyKey = idempotencyKey;
    }

    /** An empty form with {@code defaults}; fields are the names of the inputs it renders. */
    public static FormState blank(List<String> fields, Map<String, String> defaults) {
        return new FormState(fields, new LinkedHashMap<>(defaults), null, UUID.randomUUID().toString());
    }

    /**
     * After a submit: on success a fresh form (new idempotency key) that shows the outcome; on a
     * problem the submitted values again, with the same key so a corrected resubmit cannot run twice.
     */
    public static FormState submitted(List<String> fields, Map<String, String> submitted, Map<String, String> defaults,
            ActionOutcome outcome, String idempotencyKey) {
        if (outcome.ok()) {
            return new FormState(fields, new LinkedHashMap<>(defaults), outcome, UUID.randomUUID().toString());
        }
        return new FormState(fields, new LinkedHashMap<>(submitted), outcome,
                idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID().toString() : idempotencyKey);
    }

    public String value(String field) {
        String value = values.get(field);
        return value == null ? "" : value;
    }

    /** Whether {@code option} is the field's value (for {@code selected} options). */
    public boolean is(String field, Object option) {
        return option != null && option.toString().equals(values.get(field));
    }

    public String error(String field) {
        if (outcome == null) {
            return "";
        }
        return String.join("; ", outcome.errorsFor(field));
    }

    public boolean hasError(String field) {
        return !error(field).isEmpty();
    }

    /** Problem errors that name no input of this form, and the problem itself when it names none. */
    public List<String> generalErrors() {
        List<String> messages = new ArrayList<>();
        if (outcome == null || outcome.ok()) {
            return messages;
        }
        for (FieldError error : outcome.errorsNotIn(fields)) {
            messages.add(error.field() == null || error.field().isBlank()
                    ? error.message()
                    : error.field() + " " + error.message());
        }
        return messages;
    }

    public boolean submitted() {
        return outcome != null;
    }

    public boolean succeeded() {
        return outcome != null && outcome.ok();
    }

    public boolean failed() {
        return outcome != null && !outcome.ok();
    }

    /** The task the last submit created, or null. */
    public UUID taskId() {
        return outcome == null ? null : outcome.taskId();
    }

    public String summary() {
        return outcome == null ? "" : outcome.summary();
    }

    public ActionOutcome outcome() {
        return outcome;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }
}
