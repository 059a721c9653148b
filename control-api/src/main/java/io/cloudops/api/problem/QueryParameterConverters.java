package io.cloudops.api.problem;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/**
 * Parses numeric query parameters (whole numbers and, for cost estimates, decimals) so that a value that is not a number ({@code ?page=abc}) is a 400
 * problem naming the parameter. Jakarta REST otherwise answers such a request with 404, as if the
 * resource did not exist, which tells the client nothing about what to fix.
 */
@Provider
public class QueryParameterConverters implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        Optional<String> name = Arrays.stream(annotations).filter(QueryParam.class::isInstance)
                .map(a -> ((QueryParam) a).value()).findFirst();
        if (name.isEmpty()) {
            return null;
        }
        if (rawType == int.class || rawType == Integer.class) {
            return (ParamConverter<T>) new NumericParameter<>(name.get(), Integer::valueOf);
        }
        if (rawType == long.class || rawType == Long.class) {
            return (ParamConverter<T>) new NumericParameter<>(name.get(), Long::valueOf);
        }
        if (rawType == double.class || rawType == Double.class) {
            return (ParamConverter<T>) new NumericParameter<>(name.get(), QueryParameterConverters::finiteDouble,
                    "must be a number");
        }
        return null;
    }

    private static Double finiteDouble(String value) {
        double parsed = Double.parseDouble(value);
        if (!Double.isFinite(parsed)) {
            throw new NumberFormatException("not finite");
        }
        return parsed;
    }

    private record NumericParameter<N extends Number>(String parameter, Function<String, N> parse, String message)
            implements
                ParamConverter<N> {

        NumericParameter(String parameter, Function<String, N> parse) {
            this(parameter, parse, "must be a whole number");
        }

        @Override
        public N fromString(String value) {
            if (value == null) {
                return null;
            }
            try {
                return parse.apply(value.strip());
            } catch (NumberFormatException e) {
                // a WebApplicationException is passed on as it is; anything else would become a 404
                throw new BadRequestException(ApiException.invalidParameter(parameter, message));
            }
        }

        @Override
        public String toString(N value) {
            return value == null ? null : value.toString();
        }
    }
}
