package io.cloudops.api.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.cloudops.common.api.PageView;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskSummaryView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The task list: filters (status, type, entity) and paging in the URL, so a filtered view can be
 * bookmarked; htmx swaps only the table when a filter changes, and the page script refreshes it
 * when the hub reports a task status change.
 */
@Path("/tasks")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class TasksPage {

    static final int PAGE_SIZE = 20;
    /** Types offered in the filter's suggestions (free text is accepted too). */
    static final List<String> KNOWN_TYPES = List.of("deployment", "db_backup", "db_restore", "restart_workload",
            "sandbox_create", "sandbox_expire", "diagnostic");

    /** One page of the list with the filters that produced it, and the links around it. */
    public record Listing(String status, String type, String entityId, String project,
            PageView<TaskSummaryView> page) {

        public int pageIndex() {
            return page.page();
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

        public int previousIndex() {
            return page.page() - 1;
        }

        public int nextIndex() {
            return page.page() + 1;
        }

        public String summary() {
            if (page.total() == 0) {
                return "no tasks";
            }
            if (!page.totalExact()) {
                return "more than " + page.total() + " tasks · page " + (page.page() + 1);
            }
            return page.total() + (page.total() == 1 ? " task" : " tasks") + " · page " + (page.page() + 1) + " of "
                    + pages();
        }

        /** {@code base} with these filters and {@code pageIndex} as query parameters. */
        public String url(String base, int pageIndex) {
            StringBuilder url = new StringBuilder(base).append("?page=").append(pageIndex);
            append(url, "status", status);
            append(url, "type", type);
            append(url, "entityId", entityId);
            append(url, "project", project);
            return url.toString();
        }

        private static void append(StringBuilder url, String name, String value) {
            if (value != null && !value.isBlank()) {
                url.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance tasks(Listing listing, List<String> statuses, List<String> types);

        static native TemplateInstance tasks$table(Listing listing);
    }

    private final TaskQueries queries;

    TasksPage(TaskQueries queries) {
        this.queries = queries;
    }

    @GET
    public TemplateInstance list(@QueryParam("status") String status, @QueryParam("type") String type,
            @QueryParam("entityId") String entityId, @QueryParam("project") String project,
            @QueryParam("page") @DefaultValue("0") int page,
            @HeaderParam("HX-Request") String htmx, @HeaderParam("HX-History-Restore-Request") String restore) {
        Listing listing = listing(status, type, entityId, project, page);
        // htmx asks for the whole page when it restores a pushed URL from history
        if ("true".equals(htmx) && !"true".equals(restore)) {
            return Templates.tasks$table(listing);
        }
        List<String> statuses = Arrays.stream(TaskStatus.values()).map(TaskStatus::value).toList();
        return Templates.tasks(listing, statuses, KNOWN_TYPES);
    }

    private Listing listing(String status, String type, String entityId, String project, int page) {
        TaskStatus parsed = parseStatus(status);
        String cleanType = blankToNull(type);
        String cleanEntity = blankToNull(entityId);
        String cleanProject = blankToNull(project);
        PageView<TaskSummaryView> items = queries.list(
                new TaskQueries.Filter(parsed, cleanType, cleanEntity, cleanProject), Math.max(0, page), PAGE_SIZE);
        return new Listing(parsed == null ? "" : parsed.value(), cleanType == null ? "" : cleanType,
                cleanEntity == null ? "" : cleanEntity, cleanProject == null ? "" : cleanProject, items);
    }

    /** An unknown status shows every task rather than an error page: the filter is a convenience. */
    private static TaskStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        return Arrays.stream(TaskStatus.values()).filter(s -> s.value().equals(status)).findFirst().orElse(null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
