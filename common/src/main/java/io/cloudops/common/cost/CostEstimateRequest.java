package io.cloudops.common.cost;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/cost/estimate}: a resource plan to price per month. */
@Schema(name = "CostEstimateRequest")
public record CostEstimateRequest(
        @Schema(description = "ISO 4217 code", defaultValue = "USD", examples = "USD") @Pattern(regexp = "[A-Z]{3}", message = "must be a three-letter ISO 4217 code such as USD") String currency,
        @Schema(required = true) @NotNull @NotEmpty @Size(max = 100) List<@NotNull @Valid CostResourceSpec> resources) {

    public String currencyOrDefault() {
        return currency == null ? "USD" : currency;
    }
}
