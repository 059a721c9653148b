package io.cloudops.common.cost;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Answer of {@code GET|POST /api/cost/estimate}: one line per priced meter, and their monthly sum. */
@Schema(name = "CostEstimate")
public record CostEstimate(String currency, BigDecimal monthlyTotal, List<CostLine> lines) {

    /**
     * One priced meter of one resource: {@code monthly = unitPrice x billed units}, where the units
     * are hours (compute) or GiB-months and disk-months (storage, prorated by hours / 730).
     */
    @Schema(name = "CostLine")
    public record CostLine(
            @Schema(description = "Index of the resource in the request") int resource,
            String kind,
            @Schema(nullable = true, description = "The SKU, or the meter for sized resources (vCPU, memory, storage)") String sku,
            String meter,
            String region,
            int quantity,
            double hours,
            @Schema(description = "Price of one unit") BigDecimal unitPrice,
            @Schema(description = "1 Hour, 1 GiB/Month, 1/Month") String unit,
            BigDecimal monthly,
            @Schema(description = "Where the price comes from: bundled sample list prices or the Azure Retail Prices API") String source) {
    }
}
