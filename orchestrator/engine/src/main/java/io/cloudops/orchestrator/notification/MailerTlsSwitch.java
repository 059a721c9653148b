package io.cloudops.orchestrator.notification;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Maps the one product setting {@code SMTP_TLS} ({@code none}, {@code starttls} or {@code tls}) onto
 * the Quarkus Mailer's two keys: {@code none} sends in clear text, {@code starttls} requires the
 * STARTTLS upgrade (the usual port 587), {@code tls} connects over TLS from the start (port 465).
 * Unset: {@code starttls} when the server offers it ({@code OPTIONAL}), the mailer's own default. A
 * low-ordinal source: an explicit {@code quarkus.mailer.*} setting still wins.
 */
public class MailerTlsSwitch implements ConfigSourceFactory {

    static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue("SMTP_TLS");
        String mode = value == null || value.getValue() == null
                ? ""
                : value.getValue().strip().toLowerCase(Locale.ROOT);
        Map<String, String> properties = switch (mode) {
            case "" -> Map.of();
            case "none" -> Map.of("quarkus.mailer.tls", "false", "quarkus.mailer.start-tls", "DISABLED");
            case "starttls" -> Map.of("quarkus.mailer.tls", "false", "quarkus.mailer.start-tls", "REQUIRED");
            case "tls" -> Map.of("quarkus.mailer.tls", "true", "quarkus.mailer.start-tls", "DISABLED");
            default -> throw new IllegalArgumentException(
                    "SMTP_TLS must be none, starttls or tls, not '" + value.getValue() + "'");
        };
        return List.of(new PropertiesConfigSource(properties, "cloudops-mailer-tls", ORDINAL));
    }
}
