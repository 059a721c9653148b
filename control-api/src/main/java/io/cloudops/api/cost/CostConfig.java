package io.cloudops.api.cost;

import java.net.URI;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where cost estimates take their prices from. */
@ConfigMapping(prefix = "cloudops.cost")
public interface CostConfig {

    /**
     * {@code COST_PRICE_SOURCE}: {@code bundled} (the sample price list shipped in the application)
     * or {@code azure-retail} (the Azure Retail Prices API, for VM and managed-disk SKUs; other
     * meters still come from the bundled list).
     */
    @WithDefault("bundled")
    String source();

    /** {@code AZURE_RETAIL_PRICES_URL}: the Retail Prices API endpoint. */
    @WithDefault("https://prices.azure.com/api/retail/prices")
    URI retailApiUrl();

    /** Time limit of one call to the Retail Prices API. */
    @WithDefault("10s")
    Duration retailTimeout();

    /** How long a price fetched from the Retail Prices API is reused. */
    @WithDefault("12h")
    Duration retailCacheTtl();
}
