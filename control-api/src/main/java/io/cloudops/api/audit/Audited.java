package io.cloudops.api.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a mutating endpoint or console form with the action it stands for. The service writes the
 * {@code succeeded} entry in the change's transaction; {@link AuditResponseFilter} writes the
 * entry of a refused attempt ({@code denied} for 401/403, {@code rejected} for the other 4xx),
 * taking the target's id from the path parameter {@link #targetParam}. {@code AuditCoverageTest}
 * fails the build for a POST, PUT, PATCH or DELETE method without it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Audited {

    /** The action, one of {@link AuditActions}. */
    String value();

    /** The kind of target ({@link AuditActions#TASK}, ...); empty when the request names none. */
    String targetType() default "";

    /** The path parameter that holds the target's id; empty when there is none. */
    String targetParam() default "";
}
