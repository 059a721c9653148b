package io.cloudops.api.guardrail;

import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the guard-rail policies come from and the clock they read ({@link GuardRails}).
 * {@code application.properties} maps the environment variables onto these keys.
 */
@ConfigMapping(prefix = "cloudops.policy")
public interface GuardRailConfig {

    /**
     * {@code POLICY_FILE}: a YAML or JSON file of policies (docs/change-safety.md, "Guard rails
     * (CEL)"), e.g. a ConfigMap mounted at {@code /etc/cloudops/policies.yaml}. Unset: the shipped
     * defaults ({@value PolicyFile#DEFAULT_RESOURCE} on the classpath), which never block on a
     * given day of the week.
     */
    Optional<String> file();

    /**
     * {@code POLICY_TIME_ZONE}: the IANA time zone of {@code now_local} (freeze windows), e.g.
     * {@code Europe/Berlin}.
     */
    @WithDefault("UTC")
    String timeZone();

    /**
     * The environment type ({@code prod}, {@code dev}, ...) of each database instance, by instance id
     * ({@code cloudops.policy.database-environments.orders=prod}): the {@code environment.type} of
     * its backups and restores. An instance not listed is {@value PolicyFacts#UNCLASSIFIED}.
     */
    Map<String, String> databaseEnvironments();
}
