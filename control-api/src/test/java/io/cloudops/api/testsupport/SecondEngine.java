package io.cloudops.api.testsupport;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

import io.cloudops.orchestrator.client.TaskEventBus;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.cloudops.orchestrator.engine.LeaseFence;
import io.cloudops.orchestrator.engine.SessionDispatcher;
import io.cloudops.orchestrator.engine.TaskExecutor;
import io.cloudops.orchestrator.engine.TaskStore;
import io.cloudops.orchestrator.handler.HandlerRegistry;
import io.cloudops.orchestrator.telemetry.EngineMetrics;
import io.cloudops.orchestrator.telemetry.TaskTracing;
import io.quarkus.arc.Arc;

/**
 * A second orchestrator in the test JVM: its own dispatcher, executor and lease owner, over the
 * application's real {@link TaskStore} (so it claims through the same lease and head-of-queue SQL
 * as a second process would). The engine's constructors are package-private on purpose (production
 * code gets its engine from CDI only), so this test helper reaches them reflectively.
 */
public final class SecondEngine implements AutoCloseable {

    private final SessionDispatcher dispatcher;

    private SecondEngine(SessionDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    public static SecondEngine start(TaskStore store, HandlerRegistry handlers, TaskEventBus events,
            EngineConfig config) throws ReflectiveOperationException {
        Constructor<LeaseFence> fenceConstructor = LeaseFence.class.getDeclaredConstructor(EngineConfig.class);
        fenceConstructor.setAccessible(true);
        LeaseFence fence = fenceConstructor.newInstance(config);
        Constructor<TaskExecutor> executor = TaskExecutor.class.getDeclaredConstructor(TaskStore.class,
                HandlerRegistry.class, TaskEventBus.class, EngineConfig.class, LeaseFence.class, EngineMetrics.class,
                TaskTracing.class);
        executor.setAccessible(true);
        // the application's meters and tracer: the second engine's runs count and trace like the first's
        EngineMetrics metrics = Arc.container().instance(EngineMetrics.class).get();
        TaskTracing tracing = Arc.container().instance(TaskTracing.class).get();
        Constructor<SessionDispatcher> dispatcher = SessionDispatcher.class.getDeclaredConstructor(TaskExecutor.class,
                TaskStore.class, EngineConfig.class, LeaseFence.class);
        dispatcher.setAccessible(true);
        SessionDispatcher engine = dispatcher.newInstance(
                executor.newInstance(store, handlers, events, config, fence, metrics, tracing), store, config, fence);
        engine.start();
        return new SecondEngine(engine);
    }

    public void signal(String entityId) {
        dispatcher.signal(entityId);
    }

    /** The last segment of its lease owner, which its worker thread names end with. */
    public String workerSuffix() {
        return dispatcher.owner().substring(dispatcher.owner().lastIndexOf('/') + 1);
    }

    @Override
    public void close() throws ReflectiveOperationException {
        Method stop = SessionDispatcher.class.getDeclaredMethod("stop");
        stop.setAccessible(true);
        stop.invoke(dispatcher);
    }
}
