package io.cloudops.api.notification;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.problem.ApiException;
import io.cloudops.api.project.ProjectRepository;
import io.cloudops.common.notification.NotificationTestResult;
import io.cloudops.orchestrator.client.NotificationRequests;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Test notifications, for {@code POST /api/notifications/test} and the Settings page alike: writes
 * one to each route of a project (or the global routes) with its audit entry in the same
 * transaction, sends them at once and answers how each went.
 */
@ApplicationScoped
public class NotificationService {

    private final NotificationRequests notifications;
    private final ProjectRepository projects;
    private final AuditContext audit;
    private final SecurityIdentity identity;

    NotificationService(NotificationRequests notifications, ProjectRepository projects, AuditContext audit,
            SecurityIdentity identity) {
        this.notifications = notifications;
        this.projects = projects;
        this.audit = audit;
        this.identity = identity;
    }

    /** Throws a 404 problem naming {@code projectId} for an unknown project. */
    public NotificationTestResult sendTest(UUID projectId) {
        if (projectId != null && projects.findByIdOptional(projectId).isEmpty()) {
            throw ApiException.notFound("Project", projectId, "projectId");
        }
        return notifications.sendTest(projectId, identity.getPrincipal().getName(),
                audit.succeeded(AuditActions.NOTIFICATION_TEST, projectId == null ? null : AuditActions.PROJECT,
                        projectId, null));
    }
}
