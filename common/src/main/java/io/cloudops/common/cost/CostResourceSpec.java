package io.cloudops.common.cost;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One resource of a cost estimate: either a named Azure SKU ({@code Standard_D2s_v5}, {@code P10},
 * {@code GP_Gen5_2}) or a size in vCPUs, memory and storage, in a region, for a number of hours a
 * month. Storage is added to a SKU for {@code postgres} and {@code sql}.
 */
@Schema(name = "CostResource")
public record CostResourceSpec(
        @Schema(description = "vm | disk | postgres | sql", required = true) @NotBlank @Pattern(regexp = "vm|disk|postgres|sql", message = "must be one of vm, disk, postgres, sql") String kind,
        @Schema(description = "Azure SKU; without it, cpu/memoryGiB/storageGiB are priced", examples = "Standard_D2s_v5") @Size(max = 64) String sku,
        @Schema(description = "vCPUs (without sku)") @DecimalMin(value = "0", message = "must not be negative") @DecimalMax("512") Double cpu,
        @Schema(description = "Memory in GiB (without sku)") @DecimalMin(value = "0", message = "must not be negative") @DecimalMax("12288") Double memoryGiB,
        @Schema(description = "Storage in GiB") @DecimalMin(value = "0", message = "must not be negative") @DecimalMax("65536") Double storageGiB,
        @Schema(description = "Azure region (armRegionName)", examples = "westeurope", required = true) @NotBlank @Size(max = 40) String region,
        @Schema(description = "Hours a month it runs", defaultValue = "730") @DecimalMin(value = "0", message = "must not be negative") @DecimalMax(value = "744", message = "must be at most 744 (31 days)") Double hours,
        @Schema(description = "How many", defaultValue = "1") @Min(1) @Max(10_000) Integer quantity) {

    /** Hours in an average month, Azure's convention for monthly prices. */
    public static final double HOURS_PER_MONTH = 730;

    public double hoursOrDefault() {
        return hours == null ? HOURS_PER_MONTH : hours;
    }

    public int quantityOrDefault() {
        return quantity == null ? 1 : quantity;
    }
}
