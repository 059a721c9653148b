package io.cloudops.api.sandbox;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.cloudops.common.sandbox.SandboxExpiredEvent;

/** Records the sandbox-expired notifications the app emits, for tests to look at. */
@ApplicationScoped
public class SandboxExpiredEvents {

    public static final Queue<SandboxExpiredEvent> RECEIVED = new ConcurrentLinkedQueue<>();

    void on(@Observes SandboxExpiredEvent event) {
        RECEIVED.add(event);
    }
}
