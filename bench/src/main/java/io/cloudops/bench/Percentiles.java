package io.cloudops.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** P50/P95/P99 and the maximum of a list of milliseconds (nearest rank). */
final class Percentiles {

    private Percentiles() {
    }

    static Map<String, Object> of(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("p50Ms", rank(sorted, 0.50));
        out.put("p95Ms", rank(sorted, 0.95));
        out.put("p99Ms", rank(sorted, 0.99));
        out.put("maxMs", sorted.isEmpty() ? 0 : Pg.round(sorted.get(sorted.size() - 1), 1));
        return out;
    }

    static double rank(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return Pg.round(sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))), 1);
    }
}
