package io.cloudops.api.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.cost.CostEstimator;
import io.cloudops.common.cost.CostEstimate;
import io.cloudops.common.cost.CostEstimateRequest;
import io.cloudops.common.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/**
 * The cost estimator: a few resource rows, read as the {@code {"resources": [...]}} plan that
 * {@code POST /api/cost/estimate} takes and priced by the same {@link CostEstimator} method;
 * problems naming {@code resources[i].field} appear in the right cell.
 */
@Path("/cost")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class CostPage {

    static final int ROWS = 3;
    static final List<String> REGIONS = List.of("westeurope", "northeurope", "germanywestcentral", "uksouth",
            "eastus", "eastus2", "westus2");
    static final List<String> KINDS = List.of("vm", "disk", "postgres", "sql");
    static final List<String> COLUMNS = List.of("kind", "sku", "cpu", "memoryGiB", "storageGiB", "region", "hours");
    /** Columns sent as text; the others are numbers. */
    private static final List<String> TEXT_COLUMNS = List.of("kind", "sku", "region");

    /** One resource row of the form; inputs are named like the API's fields ({@code resources[0].cpu}). */
    public record Row(int index) {
        public int number() {
            return index + 1;
        }

        public String field(String name) {
            return "resources[" + index + "]." + name;
        }
    }

    /** The estimate, shown as a headline (its monthly total) and as the JSON the API would answer. */
    public record Estimate(String headline, String json) {
        static final Estimate NONE = new Estimate("", "");
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance cost(List<Row> rows, List<String> regions, List<String> kinds, FormState form,
                Estimate estimate);

        static native TemplateInstance cost$form(List<Row> rows, List<String> regions, List<String> kinds,
                FormState form,
                Estimate estimate);
    }

    private final CostEstimator estimator;
    private final ConsoleActions actions;
    private final ObjectMapper json;

    CostPage(CostEstimator estimator, ConsoleActions actions, ObjectMapper json) {
        this.estimator = estimator;
        this.actions = actions;
        this.json = json;
    }

    @GET
    public TemplateInstance cost() {
        return Templates.cost(rows(), REGIONS, KINDS, FormState.blank(fields(), defaults()), Estimate.NONE);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response estimate(MultivaluedMap<String, String> form, @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : fields()) {
            String value = form.getFirst(field);
            values.put(field, value == null ? "" : value.strip());
        }
        ArrayNode resources = json.createArrayNode();
        for (Row row : rows()) {
            boolean empty = List.of("sku", "cpu", "memoryGiB", "storageGiB").stream()
                    .allMatch(c -> values.get(row.field(c)).isEmpty());
            if (empty) {
                continue;
            }
            ObjectNode resource = resources.addObject();
            for (String column : COLUMNS) {
                String value = values.get(row.field(column));
                if (value.isEmpty()) {
                    continue;
                }
                if (!TEXT_COLUMNS.contains(column) && value.matches("\\d{1,9}(\\.\\d{1,6})?")) {
                    resource.put(column, Double.parseDouble(value));
                } else {
                    resource.put(column, value);
                }
            }
        }
        ObjectNode body = json.createObjectNode();
        body.set("resources", resources);
        // the plan is read from the JSON an API client would send, so type errors read as the API's
        ConsoleActions.Attempt<CostEstimate> priced = actions.attempt(Roles.VIEWER, request.path(),
                () -> estimator.estimatePlan(json.treeToValue(body, CostEstimateRequest.class)));
        ActionOutcome outcome = priced.outcome(estimate -> null);
        FormState state = FormState.submitted(fields(), values, values, outcome, null);
        Estimate estimate = priced.ok() ? estimate(priced.value()) : Estimate.NONE;
        int status = outcome.ok() ? 200 : outcome.status();
        TemplateInstance page = "true".equals(htmx)
                ? Templates.cost$form(rows(), REGIONS, KINDS, state, estimate)
                : Templates.cost(rows(), REGIONS, KINDS, state, estimate);
        return Response.status(status).entity(page).build();
    }

    /** The headline ({@code 1,234.56 USD / month}) and the estimate as the API's JSON. */
    Estimate estimate(CostEstimate estimate) {
        String headline = String.format(Locale.ROOT, "%,.2f %s / month", estimate.monthlyTotal(),
                estimate.currency()).strip();
        JsonNode body = json.valueToTree(estimate);
        return new Estimate(headline, ConsoleFormat.json(body));
    }

    private static List<Row> rows() {
        return IntStream.range(0, ROWS).mapToObj(Row::new).toList();
    }

    private static List<String> fields() {
        List<String> fields = new ArrayList<>();
        for (Row row : rows()) {
            COLUMNS.forEach(c -> fields.add(row.field(c)));
        }
        return fields;
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("resources[0].cpu", "2");
        defaults.put("resources[0].memoryGiB", "4");
        defaults.put("resources[0].storageGiB", "32");
        for (Row row : rows()) {
            defaults.put(row.field("kind"), "vm");
            defaults.put(row.field("region"), "westeurope");
            defaults.put(row.field("hours"), "730");
        }
        return defaults;
    }
}
