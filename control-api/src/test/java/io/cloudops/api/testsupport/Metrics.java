package io.cloudops.api.testsupport;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/**
 * One scrape of {@code /q/metrics} (Prometheus text format), read into series: the key is the
 * metric name with its labels as written ({@code name{a="1",b="2"}}), the value its sample.
 */
public final class Metrics {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+).*$");

    private final Map<String, Double> series = new HashMap<>();
    private final String text;

    private Metrics(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                series.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
    }

    /** Scrapes the application under test. */
    public static Metrics scrape() {
        return new Metrics(given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /**
     * The sample of {@code name} whose labels include every {@code label=value} pair given (summed when
     * several series match, 0 when none does).
     */
    public double value(String name, String... labels) {
        double sum = 0;
        for (Map.Entry<String, Double> e : series.entrySet()) {
            String key = e.getKey();
            String metric = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            if (!metric.equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= key.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /** Whether any series of {@code name} (exactly that metric name) is exposed. */
    public boolean has(String name) {
        return series.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }

    /** The scrape as served. */
    public String text() {
        return text;
    }
}
