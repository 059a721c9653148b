package io.cloudops.api.schedule;

import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An operation a schedule can run, provided by the feature that owns the operation's endpoint (as a
 * CDI bean, looked up by {@link #name()}). Its request is the endpoint's path parameters by name
 * plus the fields of its body; it is checked as the endpoint checks it, and submitted through the
 * endpoint's own service, so a scheduled task is the task the API would have accepted.
 */
public interface ScheduledOperation {

    /** The operation's name in a schedule: the task type it creates ({@code db_backup}, ...). */
    String name();

    /** The endpoint it stands for, e.g. {@code POST /api/db/{engine}/{instanceId}/backup} (docs and errors). */
    String endpoint();

    /**
     * Checks {@code request} as the endpoint would, throwing what the endpoint's service throws (an
     * {@code ApiException}, a bean validation or Jackson error) naming the request's field.
     */
    void validate(ObjectNode request) throws Exception;

    /**
     * Accepts the task through the endpoint's service with {@code idempotencyKey}, as the current
     * principal, and answers its id. Throws what the service throws (a guard rail's denial, ...).
     */
    UUID submit(ObjectNode request, String idempotencyKey) throws Exception;
}
