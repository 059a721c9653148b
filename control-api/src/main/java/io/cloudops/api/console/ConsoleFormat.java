package io.cloudops.api.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.cloudops.api.sandbox.SandboxTtlPolicy;
import io.quarkus.qute.TemplateExtension;

/**
 * Formatting helpers for the console's templates ({@code {fmt:time(step.startedAt)}}): times are
 * rendered in UTC inside {@code <time datetime>} elements (the page script shows them in the
 * browser's time zone), durations and sizes for people. Every helper accepts null and shows a dash.
 */
@TemplateExtension(namespace = "fmt")
public final class ConsoleFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ConsoleFormat() {
    }

    /** ISO-8601 for {@code datetime} attributes; empty for null. */
    static String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    /** {@code 14:03:21} (UTC). */
    static String time(Instant instant) {
        return instant == null ? "–" : TIME.format(instant);
    }

    /** {@code 2025-01-31 14:03} (UTC). */
    static String dateTime(Instant instant) {
        return instant == null ? "–" : DATE_TIME.format(instant);
    }

    /** Time between two instants (or until now when {@code to} is null); a dash when it has not started. */
    static String duration(Instant from, Instant to) {
        if (from == null) {
            return "–";
        }
        return human(Duration.between(from, to == null ? Instant.now() : to));
    }

    /** {@code 850 ms}, {@code 4.2 s}, {@code 3 min 04 s}, {@code 2 h 05 min}. */
    static String human(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
    }

    /** A TTL in minutes as people read it: {@code 7 d}, {@code 8 h}, {@code 1 h 30 min}. */
    static String minutes(int minutes) {
        return SandboxTtlPolicy.human(minutes);
    }

    /** {@code 512 B}, {@code 1.5 KB}, {@code 3.2 MB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    /** The first 8 characters of an id, for compact tables (the full id is in the link). */
    static String shortId(Object id) {
        if (id == null) {
            return "–";
        }
        String text = id.toString();
        return text.length() > 8 ? text.substring(0, 8) : text;
    }

    /** JSON for people (payloads, API answers). */
    static String json(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }
}
