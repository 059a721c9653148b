package io.cloudops.api.project;

import java.util.List;

import io.cloudops.common.notification.WebhookUrls;
import io.cloudops.common.project.EnvironmentView;
import io.cloudops.common.project.ProjectView;
import io.cloudops.common.project.SandboxTtlView;
import io.cloudops.orchestrator.client.NotificationRequests;

/**
 * Entities to API records. Webhook URLs and the routing key leave the server masked, never whole; the
 * event selection is shown for every route kind, defaults filled in; the sandbox TTL policy both as
 * the project sets it and as it is in force (which the caller resolves).
 */
public final class ProjectMapper {

    private ProjectMapper() {
    }

    public static ProjectView toView(Project project, SandboxTtlView sandboxTtl) {
        return new ProjectView(project.id, project.name, project.description, project.createdAt,
                WebhookUrls.mask(project.teamsWebhookUrl), List.of(project.emailRecipients),
                project.environments.stream().map(ProjectMapper::toView).toList(),
                WebhookUrls.mask(project.slackWebhookUrl), WebhookUrls.maskKey(project.pagerDutyRoutingKey),
                NotificationRequests.effectiveSelection(project.notifyEvents), project.sandboxDefaultTtlMinutes,
                project.sandboxMaxTtlMinutes, sandboxTtl);
    }

    public static EnvironmentView toView(Environment environment) {
        return new EnvironmentView(environment.id, environment.project.id, environment.name, environment.type,
                environment.ttlMinutes, environment.expiresAt, environment.status, environment.createdAt);
    }

}
