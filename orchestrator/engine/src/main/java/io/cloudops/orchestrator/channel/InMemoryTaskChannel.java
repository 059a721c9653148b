package io.cloudops.orchestrator.channel;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.task.TaskMessage;
import io.cloudops.orchestrator.engine.SessionDispatcher;
import io.quarkus.arc.DefaultBean;

/**
 * The embedded default's channel: control-api and orchestrator share the process, so a publish
 * hands the session key straight to the local dispatcher (which keeps per-session FIFO through the
 * database queue and runs at most MAX_CONCURRENT_SESSIONS sessions at once).
 */
@ApplicationScoped
@DefaultBean
public class InMemoryTaskChannel implements TaskChannel {

    private final SessionDispatcher dispatcher;

    InMemoryTaskChannel(SessionDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void publish(TaskMessage message) {
        dispatcher.signal(message.entityId());
    }
}
