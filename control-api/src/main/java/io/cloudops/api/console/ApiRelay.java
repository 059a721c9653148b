package io.cloudops.api.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.api.Problem;
import io.cloudops.common.api.Problem.FieldError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The console's way to act: every form a person submits becomes the same JSON request an API
 * client would send, to this server's own {@code /api}, with the person's credentials (cookies,
 * {@code Authorization}). So the console gets exactly the API's validation, roles, idempotency,
 * audit and problem documents, and works unchanged with endpoints that other parts of the product
 * add later (until then it shows the API's 404). Reads for rendering pages do not come through
 * here: pages read the services directly.
 *
 * <p>
 * The request goes to the local address the browser's connection arrived on, over plain HTTP
 * (TLS ends at the ingress in production).
 */
@ApplicationScoped
public class ApiRelay {

    private static final Logger LOG = Logger.getLogger(ApiRelay.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    ApiRelay(ObjectMapper json) {
        this.json = json;
    }

    public ApiOutcome get(HttpServerRequest origin, String path) {
        return send(origin, "GET", path, null, null);
    }

    public ApiOutcome post(HttpServerRequest origin, String path, Object body, String idempotencyKey) {
        return send(origin, "POST", path, body, idempotencyKey);
    }

    public ApiOutcome put(HttpServerRequest origin, String path, Object body) {
        return send(origin, "PUT", path, body, null);
    }

    /** One path segment, percent-encoded (workload names, instance ids). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private ApiOutcome send(HttpServerRequest origin, String method, String path, Object body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base(origin).resolve(path))
                .timeout(TIMEOUT)
                .header("Accept", "application/json");
        forward(origin, request, "Cookie");
        forward(origin, request, "Authorization");
        forward(origin, request, "Accept-Language");
        if (origin.remoteAddress() != null) {
            request.header("X-Forwarded-For", origin.remoteAddress().host());
        }
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            request.header(TaskAcceptance.IDEMPOTENCY_KEY, idempotencyKey);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(encode(body)));
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return outcome(method, path, response);
        } catch (IOException e) {
            LOG.warnf("The console could not reach the API for %s %s: %s", method, path, e.toString());
            return unreachable(method, path, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable(method, path, "interrupted");
        }
    }

    private ApiOutcome outcome(String method, String path, HttpResponse<byte[]> response) {
        JsonNode body = null;
        if (response.body().length > 0) {
            try {
                body = json.readTree(response.body());
            } catch (IOException e) {
                body = null; // not JSON (an empty 400 from a filter, a proxy page): the status still tells
            }
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        Problem problem = null;
        if (response.statusCode() >= 400) {
            problem = type.startsWith(Problem.MEDIA_TYPE) && body != null
                    ? problem(body)
                    : new Problem("about:blank", "HTTP " + response.statusCode(), response.statusCode(), null, path,
                            null);
        }
        return new ApiOutcome(method, path, response.statusCode(), problem == null ? body : null, problem);
    }

    /** Reads a problem leniently: later versions may add members. */
    private static Problem problem(JsonNode body) {
        List<FieldError> errors = null;
        if (body.path("errors").isArray()) {
            errors = new ArrayList<>();
            for (JsonNode error : body.get("errors")) {
                errors.add(new FieldError(error.path("field").asText(""), error.path("message").asText("")));
            }
        }
        return new Problem(text(body, "type"), text(body, "title"), body.path("status").asInt(),
                text(body, "detail"), text(body, "instance"), errors);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static ApiOutcome unreachable(String method, String path, String why) {
        return new ApiOutcome(method, path, 502, null, new Problem("/problems/bad-gateway", "API unreachable", 502,
                "The console could not reach the API (" + why + "); try again", path, null));
    }

    private static URI base(HttpServerRequest origin) {
        SocketAddress local = origin.localAddress();
        String host = local.host();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + local.port() + "/");
    }

    private static void forward(HttpServerRequest origin, HttpRequest.Builder request, String header) {
        String value = origin.getHeader(header);
        if (value != null) {
            request.header(header, value);
        }
    }

    private byte[] encode(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
