package io.cloudops.api.audit;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.common.audit.AuditOutcome;
import io.cloudops.common.security.Roles;
import io.cloudops.orchestrator.client.AuditRecord;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Builds audit entries for the current request: who (the principal and its roles; in demo mode
 * {@code demo} with the switched role), the request id ({@link RequestIdHandler}) and the source
 * address. The address is the connection's peer, or the client a trusted proxy names: Quarkus
 * rewrites the request's remote address from {@code Forwarded}/{@code X-Forwarded-For} only when
 * {@code quarkus.http.proxy.proxy-address-forwarding} (and its allow settings) say so, so this
 * never reads those headers itself. Must be called on the request's thread.
 */
@ApplicationScoped
public class AuditContext {

    /** Keys whose values are secrets wherever they appear in an entry's parameters. */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|credential|api[-_]?key|private[-_]?key|routing[-_]?key|webhook|connection[-_]?string).*");
    static final String MASK = "****";

    private final SecurityIdentity identity;
    private final CurrentVertxRequest request;
    private final ObjectMapper json;

    AuditContext(SecurityIdentity identity, CurrentVertxRequest request, ObjectMapper json) {
        this.identity = identity;
        this.request = request;
        this.json = json;
    }

    /** An empty detail object to fill. */
    public ObjectNode detail() {
        return json.createObjectNode();
    }

    /** The entry of a change that is about to be made (written in its transaction). */
    public AuditRecord succeeded(String action, String targetType, Object targetId, ObjectNode detail) {
        return entry(AuditOutcome.SUCCEEDED, action, targetType, targetId, detail);
    }

    /** An entry of this request; the detail gains {@code request}: the method and path it came in on. */
    public AuditRecord entry(AuditOutcome outcome, String action, String targetType, Object targetId,
            ObjectNode detail) {
        RoutingContext context = routingContext();
        return entry(who(context), context, outcome, action, targetType, targetId, detail == null ? detail() : detail);
    }

    /**
     * The request's identity as authentication left it on the request, when it did. On an I/O thread
     * (a non-blocking endpoint, or a refusal answered there) the injected identity must not be
     * resolved, as that may block: a request that reached it unauthenticated is anonymous.
     */
    private SecurityIdentity who(RoutingContext context) {
        if (context != null && context.user() instanceof QuarkusHttpUser user) {
            return user.getSecurityIdentity();
        }
        return Context.isOnEventLoopThread() ? null : identity;
    }

    /**
     * Marks the current request as audited as refused, so that {@link DeniedRequestRecorder} does
     * not write a second entry for its answer.
     */
    void refusalRecorded() {
        RoutingContext context = routingContext();
        if (context != null) {
            context.put(DeniedRequestRecorder.RECORDED, Boolean.TRUE);
        }
    }

    /** An entry of the request of {@code context} (null: none, e.g. a scheduled job) by {@code who}. */
    static AuditRecord entry(SecurityIdentity who, RoutingContext context, AuditOutcome outcome, String action,
            String targetType, Object targetId, ObjectNode detail) {
        if (context != null && !detail.has("request")) {
            detail.put("request", context.request().method().name() + " " + context.request().path());
        }
        boolean anonymous = who == null || who.isAnonymous();
        return new AuditRecord(null, anonymous ? "anonymous" : who.getPrincipal().getName(),
                anonymous ? List.of() : roles(who), action, targetType, targetId == null ? null : targetId.toString(),
                context == null ? UUID.randomUUID().toString() : RequestIdHandler.of(context),
                context == null ? null : address(context), outcome, detail);
    }

    /**
     * A deep copy of {@code value} as JSON with every secret-looking field ({@code password},
     * {@code token}, {@code webhookUrl}, ...) replaced by {@value #MASK}.
     */
    public JsonNode masked(Object value) {
        JsonNode tree = json.valueToTree(value);
        return tree == null ? null : mask(tree.deepCopy());
    }

    static JsonNode mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> {
                if (SECRET_KEY.matcher(field.getKey()).matches() && !field.getValue().isNull()) {
                    field.setValue(object.textNode(MASK));
                } else {
                    mask(field.getValue());
                }
            });
        } else if (node.isArray()) {
            node.forEach(AuditContext::mask);
        }
        return node;
    }

    /** The actor's roles, least privileged first (ours), then any others by name. */
    private static List<String> roles(SecurityIdentity identity) {
        return identity.getRoles().stream()
                .sorted(Comparator.comparingInt((String r) -> Roles.ALL.contains(r) ? Roles.ALL.indexOf(r) : 99)
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    private RoutingContext routingContext() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        return request.getCurrent();
    }

    private static String address(RoutingContext context) {
        SocketAddress remote = context.request().remoteAddress();
        if (remote == null) {
            return null;
        }
        return remote.hostAddress() != null ? remote.hostAddress() : remote.host();
    }
}
