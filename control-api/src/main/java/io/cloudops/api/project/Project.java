package io.cloudops.api.project;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A project: a group of environments sharing notification routes. Never serialized directly. */
@Entity
@Table(name = "project")
public class Project {

    @Id
    public UUID id;

    @Column(nullable = false, length = 63)
    public String name;

    @Column(length = 2000)
    public String description;

    /** Secret: the path carries the webhook token. Shown masked by {@link ProjectMapper}. */
    @Column(name = "teams_webhook_url", length = 2048)
    public String teamsWebhookUrl;

    /** Secret: the path carries the webhook token. Shown masked by {@link ProjectMapper}. */
    @Column(name = "slack_webhook_url", length = 2048)
    public String slackWebhookUrl;

    /** Secret: PagerDuty's integration key. Shown masked by {@link ProjectMapper}. */
    @Column(name = "pager_duty_routing_key", length = 128)
    public String pagerDutyRoutingKey;

    @Column(name = "email_recipients", nullable = false)
    public String[] emailRecipients = new String[0];

    /**
     * Which events go to which route ({@code {"teams": ["task.failed", ...]}}); null, or a route kind
     * missing: that route's default (see {@code NotificationRequests#effectiveSelection}).
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "notify_events")
    public Map<String, List<String>> notifyEvents;

    /** Sandbox TTL policy: minutes a sandbox gets by default; null: the global default ({@code SandboxTtlPolicy}). */
    @Column(name = "sandbox_default_ttl_minutes")
    public Integer sandboxDefaultTtlMinutes;

    /** Sandbox TTL policy: most minutes a sandbox may live in all; null: the global maximum. */
    @Column(name = "sandbox_max_ttl_minutes")
    public Integer sandboxMaxTtlMinutes;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    // a page of projects loads its environments in one query instead of one per project
    @org.hibernate.annotations.BatchSize(size = 200)
    @OneToMany(mappedBy = "project", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("createdAt, name")
    public List<Environment> environments = new ArrayList<>();
}
