package io.cloudops.common.project;

import java.util.List;

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
 * the API returned) keeps the stored URL; an empty string removes it.
 */
@Schema(name = "ProjectRequest")
public record ProjectRequest(
        @Schema(description = "Unique project name", examples = "payments", required = true) @NotBlank @Size(max = 63) @Pattern(regexp = NAME_PATTERN, message = NAME_MESSAGE) String name,
        @Schema(description = "Free text", examples = "Payments platform services") @Size(max = 2000) String description,
        @Schema(description = "Microsoft Teams incoming webhook URL (https, allowed hosts only); stored as a secret") @Size(max = 2048) String teamsWebhookUrl,
        @Schema(description = "Who receives task emails") @Size(max = 50) List<@NotBlank @Email @Size(max = 254) String> emailRecipients) {

    /** DNS-label friendly names: they end up in namespaces and URLs. */
    public static final String NAME_PATTERN = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
    public static final String NAME_MESSAGE = "must be lower-case letters, digits and '-', starting and ending with a letter or digit";
}
