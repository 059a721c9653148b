package io.cloudops.api.cost;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;

import static io.cloudops.api.testsupport.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** {@code GET|POST /api/cost/estimate} on the bundled sample prices (the default source). */
@QuarkusTest
class CostEstimateResourceTest {

    /** Reads JSON numbers as doubles, so that amounts compare with {@code closeTo}. */
    private static RequestSpecification given() {
        return RestAssured.given().config(RestAssured.config()
                .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE)));
    }

    @Test
    void oneVmFromQueryParametersIsPricedPerHourForAMonth() {
        given().header("X-Demo-Role", "viewer")
                .queryParam("kind", "vm").queryParam("sku", "Standard_D2s_v5").queryParam("region", "eastus")
                .get("/api/cost/estimate")
                .then().statusCode(200)
                .body("currency", equalTo("USD"))
                .body("monthlyTotal", closeTo(70.08, 0.001)) // 0.096 x 730
                .body("lines", hasSize(1))
                .body("lines[0].unitPrice", closeTo(0.096, 1e-9))
                .body("lines[0].unit", equalTo("1 Hour"))
                .body("lines[0].hours", closeTo(730.0, 1e-9))
                .body("lines[0].source", equalTo("bundled"));
    }

    @Test
    void aPlanOfSkusAndSizesHasOneLinePerMeterAndTheirSum() {
        Map<String, Object> body = Map.of("currency", "USD", "resources", List.of(
                Map.of("kind", "vm", "sku", "Standard_D4s_v5", "region", "westeurope", "hours", 730, "quantity", 3),
                Map.of("kind", "disk", "sku", "P10", "region", "westeurope", "quantity", 3),
                Map.of("kind", "postgres", "sku", "Standard_D2ds_v5", "storageGiB", 256, "region", "eastus"),
                Map.of("kind", "sql", "cpu", 4, "storageGiB", 100, "region", "eastus", "hours", 365),
                Map.of("kind", "vm", "cpu", 2, "memoryGiB", 8, "region", "eastus")));

        given().contentType(ContentType.JSON).body(body).post("/api/cost/estimate")
                .then().statusCode(200)
                .body("lines.meter", equalTo(List.of("compute", "disk", "compute", "storage", "vCPU", "storage",
                        "vCPU", "memory")))
                .body("lines.resource", equalTo(List.of(0, 1, 2, 2, 3, 3, 4, 4)))
                .body("lines[0].monthly", closeTo(0.2304 * 730 * 3, 0.005))
                .body("lines[1].monthly", closeTo(21.68 * 3, 0.005))
                .body("lines[3].monthly", closeTo(0.115 * 256, 0.005))
                .body("lines[4].monthly", closeTo(0.2522 * 4 * 365, 0.005))
                .body("lines[5].monthly", closeTo(0.115 * 100 * 365 / 730, 0.005))
                .body("lines[6].monthly", closeTo(0.0336 * 2 * 730, 0.005))
                .body("lines[7].monthly", closeTo(0.0036 * 8 * 730, 0.005))
                .body("monthlyTotal", closeTo(504.58 + 65.04 + 129.94 + 29.44 + 368.21 + 5.75 + 49.06 + 21.02, 0.02));
    }

    @Test
    void unknownSkusAndRegionsAre422ProblemsNamingTheField() {
        Map<String, Object> unknownSku = Map.of("resources", List.of(
                Map.of("kind", "vm", "sku", "Standard_Z99", "region", "eastus")));
        assertProblem(given().contentType(ContentType.JSON).body(unknownSku).post("/api/cost/estimate"), 422)
                .body("errors[0].field", equalTo("resources[0].sku"))
                .body("detail", containsString("Standard_D2s_v5"));

        Map<String, Object> unknownRegion = Map.of("resources", List.of(
                Map.of("kind", "vm", "sku", "Standard_D2s_v5", "region", "eastus"),
                Map.of("kind", "disk", "sku", "P10", "region", "atlantis")));
        assertProblem(given().contentType(ContentType.JSON).body(unknownRegion).post("/api/cost/estimate"), 422)
                .body("errors[0].field", equalTo("resources[1].region"));

        Map<String, Object> uncovered = Map.of("resources", List.of(
                Map.of("kind", "vm", "sku", "Standard_D2s_v5", "region", "japaneast")));
        assertProblem(given().contentType(ContentType.JSON).body(uncovered).post("/api/cost/estimate"), 422)
                .body("errors[0].field", equalTo("resources[0].region"))
                .body("detail", containsString("westeurope"));

        assertProblem(given().queryParam("kind", "sql").queryParam("sku", "GP_Gen9_2").queryParam("region", "eastus")
                .get("/api/cost/estimate"), 422).body("errors[0].field", equalTo("sku"));
        assertProblem(given().queryParam("kind", "vm").queryParam("region", "eastus").get("/api/cost/estimate"), 422)
                .body("errors[0].field", equalTo("sku"));
        assertProblem(given().queryParam("kind", "disk").queryParam("sku", "P10").queryParam("storageGiB", 10)
                .queryParam("region", "eastus").get("/api/cost/estimate"), 422)
                .body("errors[0].field", equalTo("storageGiB"));
        Map<String, Object> euro = Map.of("currency", "EUR", "resources", List.of(
                Map.of("kind", "vm", "sku", "Standard_D2s_v5", "region", "eastus")));
        assertProblem(given().contentType(ContentType.JSON).body(euro).post("/api/cost/estimate"), 422)
                .body("errors[0].field", equalTo("currency"));
    }

    @Test
    void malformedInputIsA400NamingTheField() {
        assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("resources", List.of(Map.of("kind", "gpu", "region", "eastus"))))
                .post("/api/cost/estimate"), 400).body("errors[0].field", equalTo("resources[0].kind"));
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("resources", List.of()))
                .post("/api/cost/estimate"), 400).body("errors[0].field", equalTo("resources"));
        assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("resources", List.of(Map.of("kind", "vm", "cpu", 2, "region", "eastus", "hours", 800))))
                .post("/api/cost/estimate"), 400).body("errors[0].field", equalTo("resources[0].hours"));
        assertProblem(given().queryParam("kind", "vm").queryParam("cpu", "two").queryParam("region", "eastus")
                .get("/api/cost/estimate"), 400).body("errors[0].field", equalTo("cpu"));
        assertProblem(given().queryParam("sku", "P10").queryParam("region", "eastus").get("/api/cost/estimate"), 400)
                .body("errors[0].field", equalTo("kind"));
    }
}
