package io.cloudops.api.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Every answer of {@code /api/**} that a {@code @QuarkusTest} receives through rest-assured is
 * validated against the document the application serves at {@code /q/openapi}: status, content
 * type and body schema (the validator reads OpenAPI 3.0: it gets {@link OpenApi30Rendering}'s exact
 * rendering of the served 3.1 document). Registered for every Quarkus test as a {@link QuarkusTestBeforeEachCallback}
 * (META-INF/services), so a change that makes code and contract disagree fails the test that
 * sees it. Requests are not validated: tests send invalid ones on purpose, and the contract then
 * says how the refusal looks. Routes the contract does not have (unknown paths, wrong methods)
 * are not checked either.
 */
public class ApiContractValidation implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(ValidatingFilter.class::isInstance)) {
            RestAssured.filters(new ValidatingFilter());
        }
    }

    /** Validates {@code /api/**} answers with the validator of the server that gave them. */
    static final class ValidatingFilter implements OrderedFilter {

        /** One validator per server (each test profile starts the application on a new port). */
        private static final Map<String, OpenApiValidationFilter> BY_SERVER = new ConcurrentHashMap<>();

        @Override
        public int getOrder() {
            return OrderedFilter.HIGHEST_PRECEDENCE; // sees the answer last, after any other filter
        }

        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            URI uri = URI.create(request.getURI());
            if (!uri.getRawPath().startsWith("/api/")) {
                return context.next(request, response);
            }
            String server = uri.getScheme() + "://" + uri.getAuthority();
            return BY_SERVER.computeIfAbsent(server, ValidatingFilter::validatorOf).filter(request, response, context);
        }

        private static OpenApiValidationFilter validatorOf(String server) {
            String document = served(server);
            OpenApiInteractionValidator validator = OpenApiInteractionValidator
                    .createForInlineApiSpecification(OpenApi30Rendering.of(document))
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.request", ValidationReport.Level.IGNORE)
                            .build())
                    .build();
            return new OpenApiValidationFilter(validator);
        }

        static String served(String server) {
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(URI.create(server + "/q/openapi?format=json")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("GET /q/openapi answered " + answer.statusCode());
                }
                return answer.body();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the served OpenAPI document", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
