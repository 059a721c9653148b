package io.cloudops.api.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditResource;
import io.cloudops.api.problem.ApiException;
import io.cloudops.common.api.PageView;
import io.cloudops.common.audit.AuditEntryView;
import io.cloudops.common.audit.AuditOutcome;
import io.cloudops.common.security.Roles;
import io.cloudops.orchestrator.client.AuditTrail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The audit log for admins (as {@code GET /api/audit}): filters in a GET form, so a filtered view
 * is a bookmarkable URL, paging, and a CSV download of the same filters from the API. Everything
 * shown comes from clients (actors, targets, parameters) and is escaped by Qute.
 */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.ADMIN)
public class AuditPage {

    static final int PAGE_SIZE = 50;
    static final List<String> ACTIONS = List.of(AuditActions.TASK_CREATE, AuditActions.TASK_CANCEL,
            AuditActions.TASK_RETRY, AuditActions.DEADLETTER_RETRY, AuditActions.DEADLETTER_SKIP,
            AuditActions.QUEUE_PAUSE, AuditActions.QUEUE_RESUME,
            AuditActions.PROJECT_CREATE, AuditActions.PROJECT_UPDATE, AuditActions.PROJECT_DELETE,
            AuditActions.ENVIRONMENT_CREATE, AuditActions.ENVIRONMENT_DELETE, AuditActions.SANDBOX_EXTEND,
            AuditActions.ACCESS);

    /** One page with the filters that produced it (as typed), and the links around it. */
    public record Listing(Map<String, String> filters, PageView<AuditEntryView> page) {

        public String filter(String name) {
            return filters.getOrDefault(name, "");
        }

        public long pages() {
            return Math.max(1, (page.total() + page.size() - 1) / page.size());
        }

        public boolean hasPrevious() {
            return page.page() > 0;
        }

        public boolean hasNext() {
            return page.page() + 1 < pages();
        }

        public String summary() {
            if (page.total() == 0) {
                return "no entries";
            }
            return page.total() + (page.total() == 1 ? " entry" : " entries") + " · page " + (page.page() + 1)
                    + " of " + pages();
        }

        public String previous() {
            return url("/audit", page.page() - 1);
        }

        public String next() {
            return url("/audit", page.page() + 1);
        }

        /** The same filters as CSV from the API (this page's entries). */
        public String csv() {
            return url("/api/audit", page.page()) + "&format=csv&size=" + page.size();
        }

        private String url(String base, int pageIndex) {
            StringBuilder url = new StringBuilder(base).append("?page=").append(pageIndex);
            filters.forEach((name, value) -> {
                if (!value.isBlank()) {
                    url.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                }
            });
            return url.toString();
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(Listing listing, List<String> actions, List<String> outcomes);
    }

    private final AuditTrail trail;

    AuditPage(AuditTrail trail) {
        this.trail = trail;
    }

    @GET
    public TemplateInstance audit(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("targetType") String targetType, @QueryParam("targetId") String targetId,
            @QueryParam("outcome") String outcome, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") int page) {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("actor", clean(actor));
        filters.put("action", clean(action));
        filters.put("targetType", clean(targetType));
        filters.put("targetId", clean(targetId));
        filters.put("outcome", clean(outcome));
        filters.put("from", clean(from));
        filters.put("to", clean(to));
        AuditTrail.Filter filter = new AuditTrail.Filter(nullIfBlank(filters.get("actor")),
                nullIfBlank(filters.get("action")), nullIfBlank(filters.get("targetType")),
                nullIfBlank(filters.get("targetId")), null, AuditOutcome.find(filters.get("outcome")).orElse(null),
                time("from", filters.get("from")), time("to", filters.get("to")));
        PageView<AuditEntryView> entries = trail.list(filter, Math.max(0, page), PAGE_SIZE);
        return Templates.audit(new Listing(filters, entries), ACTIONS, AuditOutcome.allowedValues());
    }

    /** A time filter the API would refuse is an error page naming it, not a silently ignored filter. */
    private static Instant time(String name, String value) {
        try {
            return AuditResource.parseInstant(name, value);
        } catch (ApiException e) {
            throw new ConsoleErrors.PageException(400, "Invalid filter", e.getMessage());
        }
    }

    private static String clean(String value) {
        return value == null ? "" : value.strip();
    }

    private static String nullIfBlank(String value) {
        return value.isBlank() ? null : value;
    }
}
