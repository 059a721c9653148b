package io.cloudops.orchestrator.telemetry;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.MDC;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * Spans and log context of task runs. A task carries the W3C {@code traceparent} of the request that
 * accepted it (stored on its row, column {@code traceparent}), so its run, in this process or in
 * another service, is a child span of that request: one trace from the API call to the last step,
 * whichever orchestrator runs it and however long the task waited. Each step is a child span of its run.
 *
 * <p>
 * While a run executes, the MDC of its thread holds {@code taskId}, {@code entityId}, {@code traceId}
 * and {@code spanId} (the step's span while a step runs), so every log line the engine and the
 * handlers write for it names the task and the trace, in the console format as in JSON.
 */
@ApplicationScoped
public class TaskTracing {

    public static final String MDC_TASK_ID = "taskId";
    public static final String MDC_ENTITY_ID = "entityId";
    public static final String MDC_TRACE_ID = "traceId";
    public static final String MDC_SPAN_ID = "spanId";

    static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("cloudops.task.id");
    static final AttributeKey<String> TASK_TYPE = AttributeKey.stringKey("cloudops.task.type");
    static final AttributeKey<String> ENTITY_ID = AttributeKey.stringKey("cloudops.entity.id");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("cloudops.task.attempt");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("cloudops.task.outcome");
    static final AttributeKey<String> STEP = AttributeKey.stringKey("cloudops.step.name");
    static final AttributeKey<String> STEP_OUTCOME = AttributeKey.stringKey("cloudops.step.outcome");

    private static final String TRACEPARENT = "traceparent";
    private static final TextMapGetter<String> FROM_TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;

    TaskTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The {@code traceparent} of the current span (the request accepting a task), or null outside any trace. */
    public String currentTraceparent() {
        if (!Span.current().getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * Starts the span of a run, child of the accepting request's {@code traceparent} (a new trace if
     * it has none), makes it current on this thread and fills the MDC. Close it on the same thread.
     */
    public Run startRun(UUID taskId, String type, String entityId, int attempt, String traceparent) {
        Context parent = traceparent == null
                ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, FROM_TRACEPARENT);
        Span span = tracer.spanBuilder("run " + type).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(TASK_ID, taskId.toString()).setAttribute(TASK_TYPE, type)
                .setAttribute(ENTITY_ID, entityId).setAttribute(ATTEMPT, (long) attempt).startSpan();
        MDC.put(MDC_TASK_ID, taskId.toString());
        MDC.put(MDC_ENTITY_ID, entityId);
        return new Run(taskId.toString(), span, span.makeCurrent());
    }

    /** The span of one run; {@link #step} opens its steps' spans. */
    public final class Run implements AutoCloseable {
        private final String taskId;
        private final Span span;
        private final Scope scope;

        private Run(String taskId, Span span, Scope scope) {
            this.taskId = taskId;
            this.span = span;
            this.scope = scope;
            putSpan(span);
        }

        /** Starts the span of a step, child of this run, current until the step is closed. */
        public Step step(String name) {
            Span step = tracer.spanBuilder("step " + name).setAttribute(STEP, name)
                    .setAttribute(TASK_ID, taskId).startSpan();
            return new Step(this, step, step.makeCurrent());
        }

        /** How the run ended (a failed outcome marks the span as an error). */
        public void outcome(String outcome, String error) {
            span.setAttribute(OUTCOME, outcome);
            if (error != null) {
                span.setStatus(StatusCode.ERROR, error);
            }
        }

        @Override
        public void close() {
            try {
                span.end();
                scope.close();
            } finally {
                MDC.remove(MDC_TASK_ID);
                MDC.remove(MDC_ENTITY_ID);
                MDC.remove(MDC_TRACE_ID);
                MDC.remove(MDC_SPAN_ID);
            }
        }
    }

    /** The span of one step. */
    public static final class Step implements AutoCloseable {
        private final Run run;
        private final Span span;
        private final Scope scope;

        private Step(Run run, Span span, Scope scope) {
            this.run = run;
            this.span = span;
            this.scope = scope;
            putSpan(span);
        }

        /** How the step ended; {@code error} (a failure's message) marks the span as an error. */
        public void outcome(String outcome, String error) {
            span.setAttribute(STEP_OUTCOME, outcome);
            if (error != null) {
                span.setStatus(StatusCode.ERROR, error);
            }
        }

        @Override
        public void close() {
            span.end();
            scope.close();
            putSpan(run.span);
        }
    }

    private static void putSpan(Span span) {
        SpanContext context = span.getSpanContext();
        if (context.isValid()) {
            MDC.put(MDC_TRACE_ID, context.getTraceId());
            MDC.put(MDC_SPAN_ID, context.getSpanId());
        }
    }
}
