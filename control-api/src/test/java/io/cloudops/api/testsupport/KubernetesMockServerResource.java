package io.cloudops.api.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The fabric8 Kubernetes mock server in CRUD mode (an in-memory API server without controllers),
 * with the client of the app under test pointed at it.
 *
 * <p>
 * The CRUD mock of fabric8 7.4 answers server-side apply ({@code PATCH} with
 * {@code application/apply-patch+yaml}) with 415, and 404 for objects that do not exist yet. So this
 * resource puts a small shim in front of it that records every apply request (path, field manager,
 * force flag) and stores the applied object: created when new, otherwise replaced in the fields
 * the request declares (labels and annotations merged, status and server metadata kept), which is
 * what a forced apply by the only manager of those fields amounts to. Tests assert on the stored
 * objects (the rendered values) and on the recorded requests (that the adapter used server-side
 * apply with its field manager); field ownership itself is beyond what the mock models.
 */
public class KubernetesMockServerResource implements QuarkusTestResourceLifecycleManager {

    /** One server-side apply request as the adapter sent it. */
    public record ApplyRequest(String path, String fieldManager, boolean force, String contentType) {
    }

    private static final String APPLY_PATCH = "application/apply-patch+yaml";
    private static final List<String> CLIENT_PROPERTIES = List.of(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY,
            Config.KUBERNETES_TRUST_CERT_SYSTEM_PROPERTY, Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY,
            Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY,
            Config.KUBERNETES_HTTP2_DISABLE);

    private static volatile KubernetesMockServer server;
    private static volatile NamespacedKubernetesClient client;
    private static final Queue<ApplyRequest> APPLIED = new ConcurrentLinkedQueue<>();

    @Override
    public Map<String, String> start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses,
                new ServerSideApplyShim(new KubernetesMixedDispatcher(responses)), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        // fabric8 reads these as system properties when the app's client is built
        System.setProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, client.getConfiguration().getMasterUrl());
        System.setProperty(Config.KUBERNETES_TRUST_CERT_SYSTEM_PROPERTY, "true");
        System.setProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
        System.setProperty(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
        System.setProperty(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY, "default");
        System.setProperty(Config.KUBERNETES_HTTP2_DISABLE, "true");
        return Map.of();
    }

    @Override
    public void stop() {
        CLIENT_PROPERTIES.forEach(System::clearProperty);
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
        server = null;
        client = null;
    }

    /** A client of the mock server, for tests to arrange and inspect the cluster's state. */
    public static NamespacedKubernetesClient client() {
        return client;
    }

    /** Every server-side apply request the mock received so far. */
    public static List<ApplyRequest> applied() {
        return List.copyOf(APPLIED);
    }

    /** Turns server-side apply into what the CRUD mock understands, recording each request. */
    private static final class ServerSideApplyShim extends Dispatcher {

        private static final YAMLMapper YAML = new YAMLMapper();
        private final Dispatcher crud;

        ServerSideApplyShim(Dispatcher crud) {
            this.crud = crud;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String contentType = request.getHeader("Content-Type");
            if (!"PATCH".equals(request.getMethod()) || contentType == null || !contentType.startsWith(APPLY_PATCH)) {
                return crud.dispatch(request);
            }
            URI uri = URI.create(request.getPath());
            String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            APPLIED.add(new ApplyRequest(uri.getPath(), queryParameter(query, "fieldManager"),
                    "true".equals(queryParameter(query, "force")), contentType));
            ObjectNode applied = tree(request.getUtf8Body());
            MockResponse existing = crud.dispatch(request(HttpMethod.GET, uri.getPath(), null, null));
            if (existing.code() == 404) {
                String collection = uri.getPath().substring(0, uri.getPath().lastIndexOf('/'));
                MockResponse created = crud.dispatch(
                        request(HttpMethod.POST, collection, "application/json", applied.toString()));
                return created.code() == 201 || created.code() == 200
                        ? crud.dispatch(request(HttpMethod.GET, uri.getPath(), null, null))
                        : created;
            }
            ObjectNode current = tree(existing.getBody().readUtf8());
            applied.fields().forEachRemaining(field -> {
                if (field.getKey().equals("metadata")) {
                    ObjectNode metadata = (ObjectNode) current.path("metadata");
                    field.getValue().fields().forEachRemaining(m -> {
                        if ((m.getKey().equals("labels") || m.getKey().equals("annotations"))
                                && metadata.path(m.getKey()) instanceof ObjectNode map) {
                            map.setAll((ObjectNode) m.getValue());
                        } else {
                            metadata.set(m.getKey(), m.getValue());
                        }
                    });
                } else if (!field.getKey().equals("status")) {
                    current.set(field.getKey(), field.getValue());
                }
            });
            return crud.dispatch(request(HttpMethod.PUT, uri.getPath(), "application/json", current.toString()));
        }

        private static RecordedRequest request(HttpMethod method, String path, String contentType, String body) {
            Headers.Builder headers = Headers.builder();
            if (contentType != null) {
                headers.add("Content-Type", contentType);
            }
            Buffer buffer = new Buffer();
            if (body != null) {
                buffer.write(body.getBytes(StandardCharsets.UTF_8));
            }
            return new RecordedRequest("HTTP/1.1", method, path, headers.build(), buffer);
        }

        private static ObjectNode tree(String yamlOrJson) {
            try {
                return (ObjectNode) YAML.readTree(yamlOrJson);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String queryParameter(String query, String name) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }
}
