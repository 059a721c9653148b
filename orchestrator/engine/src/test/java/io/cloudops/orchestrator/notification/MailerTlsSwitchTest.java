package io.cloudops.orchestrator.notification;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code SMTP_TLS} onto the mailer's two keys. */
class MailerTlsSwitchTest {

    @Test
    void eachModeSetsBothKeys() {
        assertThat(tls("none")).isEqualTo(Map.of("tls", "false", "start-tls", "DISABLED"));
        assertThat(tls("starttls")).isEqualTo(Map.of("tls", "false", "start-tls", "REQUIRED"));
        assertThat(tls("TLS")).isEqualTo(Map.of("tls", "true", "start-tls", "DISABLED"));
    }

    @Test
    void unsetLeavesTheMailersDefaultsAndAnExplicitKeyWins() {
        SmallRyeConfig unset = config(Map.of());
        assertThat(unset.getOptionalValue("quarkus.mailer.start-tls", String.class)).isEmpty();
        SmallRyeConfig explicit = config(Map.of("SMTP_TLS", "tls", "quarkus.mailer.tls", "false"));
        assertThat(explicit.getValue("quarkus.mailer.tls", String.class)).isEqualTo("false");
    }

    @Test
    void anUnknownModeIsRefusedWithTheAllowedOnes() {
        assertThatThrownBy(() -> config(Map.of("SMTP_TLS", "ssl")))
                .hasStackTraceContaining("SMTP_TLS must be none, starttls or tls");
    }

    private static Map<String, String> tls(String mode) {
        SmallRyeConfig config = config(Map.of("SMTP_TLS", mode));
        return Map.of("tls", config.getValue("quarkus.mailer.tls", String.class), "start-tls",
                config.getValue("quarkus.mailer.start-tls", String.class));
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withSources(new MailerTlsSwitch()).withValidateUnknown(false).build();
    }
}
