package io.cloudops.api.problem;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.cloudops.api.config.UnicodeText;

/**
 * Holds path parameters, query parameters and headers to {@link UnicodeText}, as the JSON reader
 * holds bodies: a value with NUL ({@code %00}) or an unpaired surrogate is a 400 naming the
 * parameter, before any resource uses it (PostgreSQL refuses NUL in text, even in a query's
 * filter). One filter for every endpoint, after matching so that path parameters have their names.
 */
public class TextParameterFilter {

    @ServerRequestFilter
    public void check(ContainerRequestContext request, UriInfo uri) {
        check(uri.getPathParameters(true));
        check(uri.getQueryParameters(true));
        check(request.getHeaders());
    }

    private static void check(Map<String, List<String>> parameters) {
        parameters.forEach((name, values) -> {
            for (String value : values) {
                if (!UnicodeText.isAcceptable(value)) {
                    throw ApiException.invalidParameter(UnicodeText.isAcceptable(name) ? name : "?",
                            UnicodeText.MESSAGE);
                }
            }
        });
    }
}
