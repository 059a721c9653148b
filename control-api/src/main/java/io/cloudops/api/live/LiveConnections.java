package io.cloudops.api.live;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * Open live connections of this instance, as gauges: {@code cloudops_hub_connections} (the
 * {@code /hubs/tasks} WebSocket) and {@code cloudops_sse_connections} (the SSE streams of
 * {@link TaskStreamResource}). Each endpoint counts its own opens and closes here. Created at start,
 * so that both gauges are scraped (at 0) before the first client connects.
 */
@Startup
@ApplicationScoped
public class LiveConnections {

    private final AtomicInteger hub = new AtomicInteger();
    private final AtomicInteger sse = new AtomicInteger();

    LiveConnections(MeterRegistry registry) {
        Gauge.builder("cloudops.hub.connections", hub, AtomicInteger::get)
                .description("Open WebSocket connections of the live hub /hubs/tasks on this instance")
                .register(registry);
        Gauge.builder("cloudops.sse.connections", sse, AtomicInteger::get)
                .description("Open SSE task streams on this instance").register(registry);
    }

    void hubOpened() {
        hub.incrementAndGet();
    }

    void hubClosed() {
        hub.decrementAndGet();
    }

    void sseOpened() {
        sse.incrementAndGet();
    }

    void sseClosed() {
        sse.decrementAndGet();
    }

    /** Open hub connections (for tests). */
    public int hubConnections() {
        return hub.get();
    }

    /** Open SSE streams (for tests). */
    public int sseConnections() {
        return sse.get();
    }
}
