package io.cloudops.api.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;

import io.cloudops.api.problem.ApiException;
import io.cloudops.common.cost.CostEstimate;
import io.cloudops.common.cost.CostEstimate.CostLine;
import io.cloudops.common.cost.CostEstimateRequest;
import io.cloudops.common.cost.CostResourceSpec;

/**
 * Prices a resource plan per month: one line per meter (a SKU's compute or disk, or the vCPU,
 * memory and storage of a sized resource), {@code monthly = unitPrice x units} where compute is
 * billed per hour and storage per GiB-month prorated by {@code hours / 730}. Rules a request can
 * break (an unknown region or SKU, a size on a fixed-size SKU) are 422 problems naming the field.
 */
@ApplicationScoped
public class CostEstimator {

    private static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(CostResourceSpec.HOURS_PER_MONTH);

    private final PriceSource prices;
    private final BundledPriceSource bundled;

    @Inject
    CostEstimator(CostConfig config, BundledPriceSource bundled, AzureRetailPriceSource retail) {
        this(switch (config.source()) {
            case "bundled" -> bundled;
            case "azure-retail" -> retail;
            default -> throw new IllegalStateException(
                    "COST_PRICE_SOURCE must be bundled or azure-retail, not " + config.source());
        }, bundled);
    }

    CostEstimator(PriceSource prices, BundledPriceSource bundled) {
        this.prices = prices;
        this.bundled = bundled;
    }

    /**
     * Validates and estimates a resource plan ({@code POST /api/cost/estimate} and the console's cost
     * form): errors name {@code resources[i].field}.
     */
    public CostEstimate estimatePlan(@Valid CostEstimateRequest request) {
        return estimate(request, false);
    }

    /** Estimates a plan; {@code fieldPrefix} is how errors name the resource ({@code resources[0].} or nothing for query parameters). */
    public CostEstimate estimate(CostEstimateRequest request, boolean queryParameters) {
        String currency = request.currencyOrDefault();
        if (!prices.supportsCurrency(currency)) {
            throw ApiException.invalidField("currency", "is not offered by this price source (use USD)");
        }
        List<CostLine> lines = new ArrayList<>();
        for (int i = 0; i < request.resources().size(); i++) {
            String prefix = queryParameters ? "" : "resources[" + i + "].";
            lines.addAll(price(i, request.resources().get(i), currency, prefix));
        }
        BigDecimal total = lines.stream().map(CostLine::monthly).reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.HALF_UP);
        return new CostEstimate(currency, total, lines);
    }

    private List<CostLine> price(int index, CostResourceSpec r, String currency, String prefix) {
        String kind = r.kind();
        if (!prices.isKnownRegion(r.region())) {
            throw ApiException.invalidField(prefix + "region", "is not an Azure region (" + r.region() + ")");
        }
        if (!prices.covers(kind, r.region(), currency)) {
            throw ApiException.invalidField(prefix + "region", "has no " + kind + " prices in this price source ("
                    + r.region() + "; bundled regions: " + String.join(", ", bundled.coveredRegions()) + ")");
        }
        Billing billing = new Billing(index, r, prefix);
        List<CostLine> lines = new ArrayList<>();
        if (r.sku() != null && !r.sku().isBlank()) {
            if (r.cpu() != null || r.memoryGiB() != null) {
                String field = r.cpu() != null ? "cpu" : "memoryGiB";
                throw ApiException.invalidField(prefix + field, "must not be set with a sku (the SKU fixes the size)");
            }
            if (kind.equals("disk") && r.storageGiB() != null) {
                throw ApiException.invalidField(prefix + "storageGiB",
                        "must not be set with a disk sku (the SKU fixes the size)");
            }
            PriceSource.Price price = prices.sku(kind, r.sku(), r.region(), currency).orElseThrow(
                    () -> ApiException.invalidField(prefix + "sku", "has no " + kind + " price in " + r.region() + " ("
                            + r.sku() + "; known: " + String.join(", ", bundled.skus(kind, r.region())) + ")"));
            lines.add(kind.equals("disk")
                    ? billing.line(r.sku(), "disk", price, billing.months())
                    : billing.line(r.sku(), "compute", price, billing.hours()));
        } else {
            if (r.cpu() == null && r.memoryGiB() == null && r.storageGiB() == null) {
                throw ApiException.invalidField(prefix + "sku",
                        "is required unless cpu, memoryGiB or storageGiB is given");
            }
            if (kind.equals("disk") && (r.cpu() != null || r.memoryGiB() != null)) {
                throw ApiException.invalidField(prefix + (r.cpu() != null ? "cpu" : "memoryGiB"),
                        "does not apply to a disk (give storageGiB)");
            }
            if (r.cpu() != null) {
                lines.add(billing.line(null, "vCPU", rate(kind, PriceSource.Dimension.VCPU_HOUR, r, currency, prefix),
                        billing.hours().multiply(BigDecimal.valueOf(r.cpu()))));
            }
            if (r.memoryGiB() != null) {
                lines.add(billing.line(null, "memory",
                        rate(kind, PriceSource.Dimension.MEMORY_GIB_HOUR, r, currency, prefix),
                        billing.hours().multiply(BigDecimal.valueOf(r.memoryGiB()))));
            }
        }
        if (r.storageGiB() != null && !(kind.equals("disk") && r.sku() != null)) {
            lines.add(billing.line(r.sku(), "storage",
                    rate(kind, PriceSource.Dimension.STORAGE_GIB_MONTH, r, currency, prefix),
                    billing.months().multiply(BigDecimal.valueOf(r.storageGiB()))));
        }
        return lines;
    }

    private PriceSource.Price rate(String kind, PriceSource.Dimension dimension, CostResourceSpec r, String currency,
            String prefix) {
        Optional<PriceSource.Price> rate = prices.rate(kind, dimension, r.region(), currency);
        return rate.orElseThrow(() -> ApiException.invalidField(prefix + "region",
                "has no " + kind + " " + dimension.name().toLowerCase(java.util.Locale.ROOT) + " rate in " + currency));
    }

    /** Units of one resource: hours and prorated months, times the quantity. */
    private record Billing(int index, CostResourceSpec r, String prefix) {

        BigDecimal hours() {
            return BigDecimal.valueOf(r.hoursOrDefault()).multiply(BigDecimal.valueOf(r.quantityOrDefault()));
        }

        BigDecimal months() {
            return hours().divide(HOURS_PER_MONTH, 10, RoundingMode.HALF_UP);
        }

        CostLine line(String sku, String meter, PriceSource.Price price, BigDecimal units) {
            BigDecimal monthly = price.amount().multiply(units).setScale(2, RoundingMode.HALF_UP);
            return new CostLine(index, r.kind(), sku, meter, r.region(), r.quantityOrDefault(), r.hoursOrDefault(),
                    price.amount(), price.unit(), monthly, price.source());
        }
    }
}
