package io.cloudops.orchestrator.telemetry;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Derives the telemetry settings of both services from the product's environment variables, at run
 * time, so that one build serves every mode:
 * <ul>
 * <li>{@code LOG_FORMAT=json}: JSON console lines (quarkus-logging-json); anything else, or unset, keeps
 * the human-readable console format (dev, test, the embedded default).</li>
 * <li>{@code OTEL_EXPORTER_OTLP_ENDPOINT} set: spans are sampled ({@code OTEL_TRACES_SAMPLER_ARG}, default
 * 1.0) and exported over OTLP to that endpoint with {@code OTEL_EXPORTER_OTLP_PROTOCOL} ({@code grpc}, the
 * default, or {@code http/protobuf}). Unset: the sampling ratio is 0, so spans still carry trace and span
 * ids (log lines, the traceparent of tasks) but none is recorded, and nothing is ever sent, nor an
 * export error logged, when no collector runs.</li>
 * </ul>
 * The sampler is {@code traceidratio} (application build setting): its decision depends on the trace id
 * only, so every service of one trace decides alike. The values come from a low-ordinal source: an
 * explicit {@code quarkus.*} setting in {@code application.properties} or the environment still wins.
 */
public class TelemetrySwitch implements ConfigSourceFactory {

    /** Below application.properties (250) and the environment (300). */
    static final int ORDINAL = 200;

    static final String JSON_CONSOLE = "quarkus.log.console.json.enabled";
    static final String SAMPLER_ARG = "quarkus.otel.traces.sampler.arg";
    static final String TRACES_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    static final String TRACES_PROTOCOL = "quarkus.otel.exporter.otlp.traces.protocol";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> values = new HashMap<>();
        values.put(JSON_CONSOLE, Boolean.toString("json".equals(value(context, "log.format", "text")
                .trim().toLowerCase(Locale.ROOT))));
        String endpoint = value(context, "otel.exporter.otlp.endpoint", "").trim();
        if (endpoint.isEmpty()) {
            values.put(SAMPLER_ARG, "0.0");
        } else {
            values.put(SAMPLER_ARG, value(context, "otel.traces.sampler.arg", "1.0").trim());
            values.put(TRACES_ENDPOINT, endpoint);
            values.put(TRACES_PROTOCOL, value(context, "otel.exporter.otlp.protocol", "grpc").trim());
        }
        return List.of(new PropertiesConfigSource(values, "cloudops-telemetry-switch", ORDINAL));
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? fallback : value.getValue();
    }
}
