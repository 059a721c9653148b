package io.cloudops.orchestrator.telemetry;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/** The product's variables (as the environment sets them) turned into the Quarkus telemetry settings. */
class TelemetrySwitchTest {

    @Test
    void byDefaultLinesAreHumanReadableAndNoSpanIsSampledOrExported() {
        SmallRyeConfig config = config(Map.of(), Map.of());

        assertThat(config.getValue(TelemetrySwitch.JSON_CONSOLE, Boolean.class)).isFalse();
        assertThat(config.getValue(TelemetrySwitch.SAMPLER_ARG, Double.class)).isZero();
        assertThat(config.getOptionalValue(TelemetrySwitch.TRACES_ENDPOINT, String.class)).isEmpty();
    }

    @Test
    void logFormatJsonSwitchesTheConsoleToJson() {
        assertThat(config(Map.of("LOG_FORMAT", "JSON"), Map.of()).getValue(TelemetrySwitch.JSON_CONSOLE,
                Boolean.class)).isTrue();
        assertThat(config(Map.of("LOG_FORMAT", "text"), Map.of()).getValue(TelemetrySwitch.JSON_CONSOLE,
                Boolean.class)).isFalse();
    }

    @Test
    void anOtlpEndpointSamplesEverythingAndExportsThereWithTheGivenProtocol() {
        SmallRyeConfig config = config(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"), Map.of());

        assertThat(config.getValue(TelemetrySwitch.SAMPLER_ARG, Double.class)).isEqualTo(1.0);
        assertThat(config.getValue(TelemetrySwitch.TRACES_ENDPOINT, String.class)).isEqualTo("http://collector:4318");
        assertThat(config.getValue(TelemetrySwitch.TRACES_PROTOCOL, String.class)).isEqualTo("http/protobuf");

        SmallRyeConfig sampled = config(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317",
                "OTEL_TRACES_SAMPLER_ARG", "0.25"), Map.of());
        assertThat(sampled.getValue(TelemetrySwitch.SAMPLER_ARG, Double.class)).isEqualTo(0.25);
        assertThat(sampled.getValue(TelemetrySwitch.TRACES_PROTOCOL, String.class)).isEqualTo("grpc");
    }

    @Test
    void anExplicitQuarkusSettingWins() {
        SmallRyeConfig config = config(Map.of("LOG_FORMAT", "json"),
                Map.of(TelemetrySwitch.JSON_CONSOLE, "false", TelemetrySwitch.SAMPLER_ARG, "1.0"));

        assertThat(config.getValue(TelemetrySwitch.JSON_CONSOLE, Boolean.class)).isFalse();
        assertThat(config.getValue(TelemetrySwitch.SAMPLER_ARG, Double.class)).isEqualTo(1.0);
    }

    private static SmallRyeConfig config(Map<String, String> environment, Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new TelemetrySwitch())
                .withValidateUnknown(false)
                .build();
    }
}
