package io.cloudops.common.project;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.cloudops.common.sandbox.SandboxRequest;

/**
 * Body of {@code POST /api/projects} and {@code PUT /api/projects/{id}}.
 *
 * <p>
 * {@code teamsWebhookUrl}, {@code slackWebhookUrl} and {@code pagerDutyRoutingKey} are secrets: on
 * update, leaving one out (or sending back the masked value the API returned) keeps what is stored;
 * an empty string removes it. {@code notificationEvents} left out keeps the stored selection.
 * {@code sandboxDefaultTtlMinutes} and {@code sandboxMaxTtlMinutes} are replaced like the other plain
 * fields: left out (null), the project follows the global {@code SANDBOX_DEFAULT_TTL} /
 * {@code SANDBOX_MAX_TTL}.
 */
@Schema(name = "ProjectRequest")
public record ProjectRequest(
        @Schema(description = "Unique project name", examples = "payments", required = true) @NotBlank @Size(max = 63) @Pattern(regexp = NAME_PATTERN, message = NAME_MESSAGE) String name,
        @Schema(description = "Free text", examples = "Payments platform services") @Size(max = 2000) String description,
        @Schema(description = "Microsoft Teams incoming webhook URL (https, allowed hosts only); stored as a secret") @Size(max = 2048) String teamsWebhookUrl,
        @Schema(description = "Who receives task emails") @Size(max = 50) List<@NotBlank @Email @Size(max = 254) String> emailRecipients,
        @Schema(description = "Slack incoming webhook URL (https, SLACK_WEBHOOK_ALLOWED_HOSTS only); stored as a secret") @Size(max = 2048) String slackWebhookUrl,
        @Schema(description = "PagerDuty Events API v2 integration (routing) key; stored as a secret") @Size(max = 128) @Pattern(regexp = ROUTING_KEY_PATTERN, message = ROUTING_KEY_MESSAGE) String pagerDutyRoutingKey,
        @Schema(description = "Which events go to which route: route kind (teams, email, slack, pagerduty) to events (task.succeeded, task.failed, task.dead_lettered, task.awaiting_approval, task.rejected, sandbox.expiring, sandbox.expired). Omitted: keep what is stored (on create: the defaults); a route left out gets its default (every event, successes to Teams only, PagerDuty dead letters only); an empty list: none. Unknown routes or events: 422 naming notificationEvents.<route>[<index>]", examples = "{\"teams\": [\"task.failed\", \"task.dead_lettered\"], \"email\": [\"task.dead_lettered\"]}") Map<String, List<String>> notificationEvents,
        @Schema(description = "Minutes a sandbox of this project gets when its request has no ttlMinutes (1 to 43200, at most the project's maximum). Null: the global SANDBOX_DEFAULT_TTL", examples = "480") @Min(1) @Max(SandboxRequest.MAX_TTL_MINUTES) Integer sandboxDefaultTtlMinutes,
        @Schema(description = "Most minutes a sandbox of this project may live in all, extensions included (1 to 43200); admins may go past it up to 43200, audited. Null: the global SANDBOX_MAX_TTL", examples = "10080") @Min(1) @Max(SandboxRequest.MAX_TTL_MINUTES) Integer sandboxMaxTtlMinutes) {

    /** A request without the Slack and PagerDuty routes and without an event selection (kept on update). */
    public ProjectRequest(String name, String description, String teamsWebhookUrl, List<String> emailRecipients) {
        this(name, description, teamsWebhookUrl, emailRecipients, null, null, null);
    }

    /** A request without a sandbox TTL policy of its own (the project follows the global one). */
    public ProjectRequest(String name, String description, String teamsWebhookUrl, List<String> emailRecipients,
            String slackWebhookUrl, String pagerDutyRoutingKey, Map<String, List<String>> notificationEvents) {
        this(name, description, teamsWebhookUrl, emailRecipients, slackWebhookUrl, pagerDutyRoutingKey,
                notificationEvents, null, null);
    }

    /** A request without an event selection: keep the stored one (the defaults for a new project). */
    public ProjectRequest(String name, String description, String teamsWebhookUrl, List<String> emailRecipients,
            String slackWebhookUrl, String pagerDutyRoutingKey) {
        this(name, description, teamsWebhookUrl, emailRecipients, slackWebhookUrl, pagerDutyRoutingKey, null);
    }

    /** A request without the Slack and PagerDuty routes (left as they are on update). */
    public ProjectRequest(String name, String description, String teamsWebhookUrl, List<String> emailRecipients,
            Map<String, List<String>> notificationEvents) {
        this(name, description, teamsWebhookUrl, emailRecipients, null, null, notificationEvents);
    }

    /**
     * An integration key (32 letters and digits as PagerDuty issues them), the masked value the API
     * returned ({@code ****abcd}: keep), or empty (remove).
     */
    public static final String ROUTING_KEY_PATTERN = "^$|^\\*{4}[A-Za-z0-9]{0,4}$|^[A-Za-z0-9]{20,128}$";
    public static final String ROUTING_KEY_MESSAGE = "must be a PagerDuty integration key (letters and digits)";

    /** DNS-label friendly names: they end up in namespaces and URLs. */
    public static final String NAME_PATTERN = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
    public static final String NAME_MESSAGE = "must be lower-case letters, digits and '-', starting and ending with a letter or digit";
}
