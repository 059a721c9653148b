package io.cloudops.api.cost;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.problem.ApiException;
import io.cloudops.api.problem.ProblemTypes;

/**
 * Current list prices from the Azure Retail Prices API ({@code GET .../api/retail/prices} with an
 * OData {@code $filter}; public, no authentication), for the meters whose mapping is unambiguous:
 * virtual machine SKUs ({@code armSkuName}, Linux pay-as-you-go, no Spot or Low Priority) and managed
 * disk tiers ({@code P10} as {@code skuName 'P10 LRS'}, meter {@code P10 LRS Disk}). PostgreSQL and
 * SQL compute, and the per-vCPU/GiB rates, come from the bundled list (USD only), and their lines
 * say so. Prices are cached for {@code cloudops.cost.retail-cache-ttl}; the cache is bounded.
 */
@ApplicationScoped
public class AzureRetailPriceSource implements PriceSource {

    static final String SOURCE = "azure-retail-prices-api";
    private static final Logger LOG = Logger.getLogger(AzureRetailPriceSource.class);
    private static final int MAX_PAGES = 5;
    private static final int MAX_CACHED = 2000;

    private final URI endpoint;
    private final Duration timeout;
    private final Duration cacheTtl;
    private final ObjectMapper json;
    private final BundledPriceSource bundled;
    private final HttpClient http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Price> price, Instant expires) {
    }

    @Inject
    AzureRetailPriceSource(CostConfig config, ObjectMapper json, BundledPriceSource bundled) {
        this(config.retailApiUrl(), config.retailTimeout(), config.retailCacheTtl(), json, bundled);
    }

    AzureRetailPriceSource(URI endpoint, Duration timeout, Duration cacheTtl, ObjectMapper json,
            BundledPriceSource bundled) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.cacheTtl = cacheTtl;
        this.json = json;
        this.bundled = bundled;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public boolean isKnownRegion(String region) {
        return bundled.isKnownRegion(region);
    }

    @Override
    public boolean covers(String kind, String region, String currency) {
        return isLive(kind) ? isKnownRegion(region) : bundled.covers(kind, region, currency);
    }

    @Override
    public boolean supportsCurrency(String currency) {
        return currency.matches("[A-Z]{3}");
    }

    @Override
    public Optional<Price> sku(String kind, String sku, String region, String currency) {
        if (!isLive(kind)) {
            return bundled.sku(kind, sku, region, currency);
        }
        if (!sku.matches("[A-Za-z0-9_ .-]{1,64}")) {
            return Optional.empty(); // nothing to look up, and nothing to inject into the filter
        }
        String filter = kind.equals("vm")
                ? "serviceName eq 'Virtual Machines' and armRegionName eq '" + region + "' and armSkuName eq '" + sku
                        + "' and priceType eq 'Consumption'"
                : "serviceName eq 'Storage' and armRegionName eq '" + region + "' and skuName eq '" + sku
                        + " LRS' and priceType eq 'Consumption'";
        String cacheKey = currency + "|" + filter;
        Cached cached = cache.get(cacheKey);
        if (cached != null && cached.expires().isAfter(Instant.now())) {
            return cached.price();
        }
        Optional<Price> price = fetch(kind, sku, filter, currency);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(cacheKey, new Cached(price, Instant.now().plus(cacheTtl)));
        return price;
    }

    @Override
    public Optional<Price> rate(String kind, Dimension dimension, String region, String currency) {
        return bundled.rate(kind, dimension, region, currency);
    }

    private static boolean isLive(String kind) {
        return kind.equals("vm") || kind.equals("disk");
    }

    private Optional<Price> fetch(String kind, String sku, String filter, String currency) {
        URI next = URI
                .create(endpoint + "?currencyCode=" + encode("'" + currency + "'") + "&$filter=" + encode(filter));
        for (int page = 0; page < MAX_PAGES && next != null; page++) {
            JsonNode body = get(next);
            for (JsonNode item : body.path("Items")) {
                if (matches(kind, sku, item)) {
                    return Optional.of(new Price(item.path("retailPrice").decimalValue(),
                            item.path("unitOfMeasure").asText(), SOURCE));
                }
            }
            String link = body.path("NextPageLink").asText(null);
            next = link == null || link.isBlank() ? null : URI.create(link);
        }
        return Optional.empty();
    }

    /** Linux pay-as-you-go for VMs; the disk meter itself (not its mounts or bursting) for disks. */
    private static boolean matches(String kind, String sku, JsonNode item) {
        if (!"Consumption".equals(item.path("type").asText()) || !item.path("retailPrice").isNumber()
                || item.path("retailPrice").decimalValue().compareTo(BigDecimal.ZERO) < 0) {
            return false;
        }
        if (kind.equals("vm")) {
            String skuName = item.path("skuName").asText();
            return item.path("unitOfMeasure").asText().equals("1 Hour")
                    && !item.path("productName").asText().contains("Windows")
                    && !skuName.contains("Spot") && !skuName.contains("Low Priority");
        }
        return item.path("meterName").asText().equals(sku + " LRS Disk");
    }

    private JsonNode get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw unavailable("answered HTTP " + response.statusCode());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw unavailable("could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("call was interrupted");
        }
    }

    private ApiException unavailable(String why) {
        LOG.warnf("Azure Retail Prices API %s: %s", why, endpoint);
        return new ApiException(503, ProblemTypes.UNAVAILABLE, "Price source unavailable",
                "The Azure Retail Prices API " + why + "; try again later or use the bundled prices", null);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
