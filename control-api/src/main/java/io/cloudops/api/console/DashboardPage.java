package io.cloudops.api.console;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.cloudops.api.project.ProjectService;
import io.cloudops.common.api.PageView;
import io.cloudops.common.project.ProjectView;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.QueueView;
import io.cloudops.common.task.TaskSummaryView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The console's home page: project and environment cards, the queue (depth per session, running
 * sessions) and the latest tasks. The queue and task part is a fragment the page script refreshes
 * whenever the hub reports a task status change.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class DashboardPage {

    static final int RECENT = 10;
    /** Project cards on the dashboard; the projects page lists them all. */
    static final int PROJECTS = 12;

    /** What changes while a person looks at the dashboard. */
    public record Live(QueueView queue, List<TaskSummaryView> recent, long openDeadLetters) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dashboard(PageView<ProjectView> projects, Live live);

        static native TemplateInstance dashboard$live(Live live);
    }

    private final ProjectService projects;
    private final TaskQueries queries;

    DashboardPage(ProjectService projects, TaskQueries queries) {
        this.projects = projects;
        this.queries = queries;
    }

    @GET
    public TemplateInstance dashboard() {
        return Templates.dashboard(projects.list(0, PROJECTS), live());
    }

    @GET
    @Path("dashboard/live")
    public TemplateInstance liveFragment() {
        return Templates.dashboard$live(live());
    }

    private Live live() {
        return new Live(queries.queue(),
                queries.list(new TaskQueries.Filter(null, null, null), 0, RECENT).items(),
                queries.deadLetters(false, 0, 1).total());
    }
}
