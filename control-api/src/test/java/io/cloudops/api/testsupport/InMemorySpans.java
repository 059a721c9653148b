package io.cloudops.api.testsupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * The spans of the test application, kept in memory: Quarkus hands every finished span to the
 * {@code SpanExporter} beans (the OTLP exporter is off in the test profile). Tests that read them
 * reset the exporter first and find their spans by task id and trace id.
 */
@ApplicationScoped
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
