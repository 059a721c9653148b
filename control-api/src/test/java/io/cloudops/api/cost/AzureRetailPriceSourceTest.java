package io.cloudops.api.cost;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.cloudops.api.problem.ApiException;
import io.cloudops.api.problem.ProblemTypes;
import io.cloudops.common.cost.CostEstimate;
import io.cloudops.common.cost.CostEstimateRequest;
import io.cloudops.common.cost.CostResourceSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Azure Retail Prices API client against recorded-shape fixtures served by a local HTTP server:
 * the OData filter and currency it sends, the items it skips (Windows, Spot, a disk's mount meter),
 * paging, caching, and what happens when the API is down.
 */
class AzureRetailPriceSourceTest {

    private final ObjectMapper json = new ObjectMapper();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI endpoint;
    private int status = 200;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/retail/prices", exchange -> {
            String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            queries.add(query);
            String fixture = query.contains("page=2")
                    ? "retail-prices-vm-page2.json"
                    : query.contains("Virtual Machines") ? "retail-prices-vm-page1.json" : "retail-prices-disk.json";
            byte[] body;
            try (InputStream in = getClass().getResourceAsStream("/pricing/" + fixture)) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .replace("\"NEXT_PAGE\"", "\"" + endpoint + "?page=2\"").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
            if (status == 200) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/retail/prices");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private AzureRetailPriceSource source() {
        return new AzureRetailPriceSource(endpoint, Duration.ofSeconds(5), Duration.ofHours(1), json,
                new BundledPriceSource(json));
    }

    @Test
    void aVmPriceIsTheLinuxPayAsYouGoMeterFollowingPages() {
        var price = source().sku("vm", "Standard_D2s_v5", "westeurope", "USD").orElseThrow();

        assertThat(price.amount()).isEqualByComparingTo("0.107");
        assertThat(price.unit()).isEqualTo("1 Hour");
        assertThat(price.source()).isEqualTo(AzureRetailPriceSource.SOURCE);
        assertThat(queries).hasSize(2);
        assertThat(queries.getFirst()).isEqualTo("currencyCode='USD'&$filter=serviceName eq 'Virtual Machines' and "
                + "armRegionName eq 'westeurope' and armSkuName eq 'Standard_D2s_v5' and priceType eq 'Consumption'");
    }

    @Test
    void aDiskPriceIsTheDiskMeterInTheRequestedCurrency() {
        var price = source().sku("disk", "P10", "westeurope", "EUR").orElseThrow();

        assertThat(price.amount()).isEqualByComparingTo("18.26");
        assertThat(price.unit()).isEqualTo("1/Month");
        assertThat(queries).containsExactly("currencyCode='EUR'&$filter=serviceName eq 'Storage' and "
                + "armRegionName eq 'westeurope' and skuName eq 'P10 LRS' and priceType eq 'Consumption'");
    }

    @Test
    void pricesAreCachedAndSkusThatCannotBeAFilterAreNotSent() {
        AzureRetailPriceSource source = source();
        source.sku("disk", "P10", "westeurope", "EUR");
        source.sku("disk", "P10", "westeurope", "EUR");
        assertThat(source.sku("vm", "x' or serviceName ne '", "westeurope", "USD")).isEmpty();

        assertThat(queries).hasSize(1);
    }

    @Test
    void anEstimateMixesLivePricesWithBundledOnesAndSaysWhich() {
        CostEstimator estimator = new CostEstimator(source(), new BundledPriceSource(json));

        CostEstimate estimate = estimator.estimate(new CostEstimateRequest("USD", List.of(
                new CostResourceSpec("vm", "Standard_D2s_v5", null, null, null, "westeurope", 100.0, 2),
                new CostResourceSpec("postgres", "Standard_D2ds_v5", null, null, 128.0, "eastus", null, null))),
                false);

        assertThat(estimate.lines()).extracting(CostEstimate.CostLine::source)
                .containsExactly(AzureRetailPriceSource.SOURCE, "bundled", "bundled");
        assertThat(estimate.lines().getFirst().monthly()).isEqualByComparingTo("21.40"); // 0.107 x 100 h x 2
        assertThat(estimate.monthlyTotal()).isEqualByComparingTo(estimate.lines().stream()
                .map(CostEstimate.CostLine::monthly).reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    @Test
    void anUnavailableApiIsA503Problem() {
        status = 500;

        assertThatThrownBy(() -> source().sku("vm", "Standard_D4s_v5", "eastus", "USD"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.type()).isEqualTo(ProblemTypes.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("HTTP 500");
                });
        assertThat(queries).hasSize(1);
    }
}
