package io.cloudops.api.cost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The sample price list shipped in the application ({@code pricing/azure-sample-prices.json}):
 * USD list prices of a handful of SKUs in a few regions, plus per-vCPU, per-GiB and storage rates
 * for sized resources. Works offline, which is what the embedded default needs.
 */
@ApplicationScoped
public class BundledPriceSource implements PriceSource {

    static final String RESOURCE = "pricing/azure-sample-prices.json";
    static final String SOURCE = "bundled";

    private final JsonNode catalog;
    private final Set<String> knownRegions = new HashSet<>();

    BundledPriceSource(ObjectMapper json) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            this.catalog = json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catalog.path("knownRegions").forEach(r -> knownRegions.add(r.asText()));
    }

    @Override
    public boolean isKnownRegion(String region) {
        return knownRegions.contains(region);
    }

    @Override
    public boolean covers(String kind, String region, String currency) {
        return supportsCurrency(currency) && catalog.path("regions").path(region).has(kind);
    }

    @Override
    public boolean supportsCurrency(String currency) {
        return catalog.path("currency").asText().equals(currency);
    }

    /** Regions with bundled prices, for error messages. */
    public Set<String> coveredRegions() {
        Set<String> regions = new java.util.TreeSet<>();
        catalog.path("regions").fieldNames().forEachRemaining(regions::add);
        return regions;
    }

    /** SKUs with bundled prices for a kind in a region, for error messages. */
    public Set<String> skus(String kind, String region) {
        Set<String> skus = new java.util.TreeSet<>();
        catalog.path("regions").path(region).path(kind).path("skus").fieldNames().forEachRemaining(skus::add);
        return skus;
    }

    @Override
    public Optional<Price> sku(String kind, String sku, String region, String currency) {
        JsonNode price = catalog.path("regions").path(region).path(kind).path("skus").path(sku);
        if (!supportsCurrency(currency) || !price.isNumber()) {
            return Optional.empty();
        }
        return Optional.of(new Price(price.decimalValue(), kind.equals("disk") ? "1/Month" : "1 Hour", SOURCE));
    }

    @Override
    public Optional<Price> rate(String kind, Dimension dimension, String region, String currency) {
        String field = switch (dimension) {
            case VCPU_HOUR -> "vcpuHour";
            case MEMORY_GIB_HOUR -> "memoryGiBHour";
            case STORAGE_GIB_MONTH -> "storageGiBMonth";
        };
        JsonNode price = catalog.path("regions").path(region).path(kind).path(field);
        if (!supportsCurrency(currency) || !price.isNumber()) {
            return Optional.empty();
        }
        String unit = switch (dimension) {
            case VCPU_HOUR -> "1 vCPU/Hour";
            case MEMORY_GIB_HOUR -> "1 GiB/Hour";
            case STORAGE_GIB_MONTH -> "1 GiB/Month";
        };
        return Optional.of(new Price(new BigDecimal(price.asText()), unit, SOURCE));
    }
}
