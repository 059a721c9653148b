package io.cloudops.common.project;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/projects} and {@code PUT /api/projects/{id}}.
 *
 * <p>
 * {@code teamsWebhookUrl} is a secret: on update, leaving it out (or sending back the masked value
 * the API returned) keeps the stored URL; an empty string removes it. {@code notificationEvents} left
 * out keeps the stored selection.
 */
@Schema(name = "ProjectRequest")
public record ProjectRequest(
        @Schema(description = "Unique project name", examples = "payments", required = true) @NotBlank @Size(max = 63) @Pattern(regexp = NAME_PATTERN, message = NAME_MESSAGE) String name,
        @Schema(description = "Free text", examples = "Payments platform services") @Size(max = 2000) String description,
        @Schema(description = "Microsoft Teams incoming webhook URL (https, allowed hosts only); stored as a secret") @Size(max = 2048) String teamsWebhookUrl,
        @Schema(description = "Who receives task emails") @Size(max = 50) List<@NotBlank @Email @Size(max = 254) String> emailRecipients,
        @Schema(description = "Which events go to which route: route kind (teams, email, ...) to events (task.succeeded, task.failed, task.dead_lettered, sandbox.expiring, sandbox.expired). Omitted: keep what is stored (on create: the defaults); a route left out gets its default (every event, successes to Teams only); an empty list: none. Unknown routes or events: 422 naming notificationEvents.<route>[<index>]", examples = "{\"teams\": [\"task.failed\", \"task.dead_lettered\"], \"email\": [\"task.dead_lettered\"]}") Map<String, List<String>> notificationEvents) {

    /** Without an event selection: keep the stored one (the defaults for a new project). */
    public ProjectRequest(String name, String description, String teamsWebhookUrl, List<String> emailRecipients) {
        this(name, description, teamsWebhookUrl, emailRecipients, null);
    }

    /** DNS-label friendly names: they end up in namespaces and URLs. */
    public static final String NAME_PATTERN = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
    public static final String NAME_MESSAGE = "must be lower-case letters, digits and '-', starting and ending with a letter or digit";
}
