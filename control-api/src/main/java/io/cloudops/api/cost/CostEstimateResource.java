package io.cloudops.api.cost;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.common.api.Problem;
import io.cloudops.common.cost.CostEstimate;
import io.cloudops.common.cost.CostEstimateRequest;
import io.cloudops.common.cost.CostResourceSpec;
import io.cloudops.common.security.Roles;

/**
 * Monthly cost estimates, synchronous (no task): one resource from query parameters, or a resource
 * plan as JSON. Prices come from the configured price source (the bundled sample list by default).
 */
@Path("/api/cost/estimate")
@Tag(name = "Cost")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class CostEstimateResource {

    private final CostEstimator estimator;

    CostEstimateResource(CostEstimator estimator) {
        this.estimator = estimator;
    }

    @GET
    @Operation(operationId = "estimateResourceCost", summary = "Estimate one resource", description = "A SKU, or cpu/memoryGiB/storageGiB, in a region, for hours a month (default 730).")
    @APIResponse(responseCode = "200", description = "The estimate", content = @Content(schema = @Schema(implementation = CostEstimate.class)))
    @APIResponse(responseCode = "422", description = "Unknown region or SKU", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CostEstimate estimateOne(
            @Parameter(description = "vm | disk | postgres | sql", required = true) @QueryParam("kind") @NotBlank @Pattern(regexp = "vm|disk|postgres|sql", message = "must be one of vm, disk, postgres, sql") String kind,
            @Parameter(description = "Azure SKU, e.g. Standard_D2s_v5, P10, GP_Gen5_2") @QueryParam("sku") @Size(max = 64) String sku,
            @QueryParam("cpu") @DecimalMin(value = "0", message = "must not be negative") @DecimalMax("512") Double cpu,
            @QueryParam("memoryGiB") @DecimalMin(value = "0", message = "must not be negative") @DecimalMax("12288") Double memoryGiB,
            @QueryParam("storageGiB") @DecimalMin(value = "0", message = "must not be negative") @DecimalMax("65536") Double storageGiB,
            @Parameter(description = "Azure region, e.g. westeurope", required = true) @QueryParam("region") @NotBlank @Size(max = 40) String region,
            @QueryParam("hours") @DecimalMin(value = "0", message = "must not be negative") @DecimalMax(value = "744", message = "must be at most 744 (31 days)") Double hours,
            @QueryParam("quantity") @Min(1) @Max(10_000) Integer quantity,
            @QueryParam("currency") @Pattern(regexp = "[A-Z]{3}", message = "must be a three-letter ISO 4217 code such as USD") String currency) {
        CostResourceSpec resource = new CostResourceSpec(kind, blankToNull(sku), cpu, memoryGiB, storageGiB, region,
                hours, quantity);
        return estimator.estimate(new CostEstimateRequest(currency, List.of(resource)), true);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "estimateCost", summary = "Estimate a resource plan")
    @APIResponse(responseCode = "200", description = "The estimate", content = @Content(schema = @Schema(implementation = CostEstimate.class)))
    @APIResponse(responseCode = "422", description = "Unknown region or SKU, named as resources[i].field", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CostEstimate estimatePlan(@NotNull(message = "a JSON body is required") @Valid CostEstimateRequest request) {
        return estimator.estimatePlan(request);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
