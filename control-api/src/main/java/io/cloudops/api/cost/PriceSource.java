package io.cloudops.api.cost;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * A price list the estimator can ask: the price of a SKU, or the rate of a size dimension (vCPU,
 * memory, storage), of one kind of resource in one region and currency. Implementations: the
 * bundled sample list and the Azure Retail Prices API.
 */
public interface PriceSource {

    /** A size dimension priced per unit. */
    enum Dimension {
        VCPU_HOUR, MEMORY_GIB_HOUR, STORAGE_GIB_MONTH
    }

    /** A price with its unit and where it came from. */
    record Price(BigDecimal amount, String unit, String source) {
    }

    /** Whether this is an Azure region name at all (unknown regions are the client's mistake). */
    boolean isKnownRegion(String region);

    /** Whether this source has prices for the region (it may be known but not covered). */
    boolean covers(String kind, String region, String currency);

    /** Currencies this source prices in. */
    boolean supportsCurrency(String currency);

    Optional<Price> sku(String kind, String sku, String region, String currency);

    Optional<Price> rate(String kind, Dimension dimension, String region, String currency);
}
