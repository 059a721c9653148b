package io.cloudops.orchestrator.notification;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Notifications of task outcomes (PRODUCT.md section 6): the global routes, which events go to which
 * kind of route, the dispatcher's retry policy, and email. Keys are set from the product's environment
 * variables in the engine's {@code META-INF/microprofile-config.properties}.
 */
@ConfigMapping(prefix = "cloudops.notify")
public interface NotifyConfig {

    /**
     * Teams Workflows webhook for every task whose project has none, and for the global test
     * ({@code TEAMS_WEBHOOK_URL}). A secret: never logged or shown unmasked.
     */
    Optional<String> teamsWebhookUrl();

    /**
     * Hosts a Teams webhook may be posted to: {@code *.suffix} or exact names
     * ({@code TEAMS_WEBHOOK_ALLOWED_HOSTS}, or the older {@code TEAMS_ALLOWED_WEBHOOK_HOSTS}). An exact
     * name is trusted as listed (http and private addresses included); see {@link OutboundPolicy}. Its
     * default, the Microsoft webhook domains, is in the engine's microprofile-config.properties (an
     * expression over the two variable names, which an empty {@code @WithDefault} fallback cannot be).
     */
    List<String> teamsAllowedHosts();

    /**
     * Slack incoming webhook for every task whose project has none, and for the global test
     * ({@code SLACK_WEBHOOK_URL}). A secret: never logged or shown unmasked.
     */
    Optional<String> slackWebhookUrl();

    /**
     * Hosts a Slack webhook may be posted to ({@code SLACK_WEBHOOK_ALLOWED_HOSTS}), as for Teams. Its
     * default, {@code hooks.slack.com}, is in the engine's microprofile-config.properties (see
     * {@link #teamsAllowedHosts()} for why).
     */
    List<String> slackAllowedHosts();

    /** PagerDuty Events API v2: a trigger per dead letter, resolved when it is retried successfully or skipped. */
    PagerDuty pagerDuty();

    interface PagerDuty {
        /**
         * Integration (routing) key for every task whose project has none ({@code PAGERDUTY_ROUTING_KEY}).
         * A secret: never logged or shown unmasked.
         */
        Optional<String> routingKey();

        /**
         * The Events API v2 endpoint ({@code PAGERDUTY_EVENTS_URL}, default in the engine's
         * microprofile-config.properties: https://events.pagerduty.com/v2/enqueue; the EU service is
         * https://events.eu.pagerduty.com/v2/enqueue).
         */
        String eventsUrl();

        /**
         * Hosts the events may be posted to ({@code PAGERDUTY_ALLOWED_HOSTS}); default (in the engine's
         * microprofile-config.properties) {@code events.pagerduty.com,events.eu.pagerduty.com}.
         */
        List<String> allowedHosts();
    }

    /** Email recipients for every task whose project has none ({@code NOTIFY_EMAIL_TO}, comma-separated). */
    Optional<List<String>> emailTo();

    /**
     * Messages a route may take at once ({@code NOTIFY_ROUTE_BURST}): the size of each route's token
     * bucket. Events beyond it are told in one digest per route and {@link #digestWindow()}.
     */
    @WithDefault("5")
    int routeBurst();

    /** Tokens a route's bucket gets back per minute ({@code NOTIFY_ROUTE_PER_MINUTE}). */
    @WithDefault("10")
    double routePerMinute();

    /**
     * How long a digest collects the events its route's bucket held back before it is sent
     * ({@code NOTIFY_DIGEST_WINDOW}): "12 more tasks failed in demo/prod in the last 5 minutes".
     */
    @WithDefault("5m")
    Duration digestWindow();

    /**
     * When sandboxes are told they are about to expire, before their {@code expiresAt}
     * ({@code SANDBOX_NOTICE_OFFSETS}); each offset once per sandbox and expiry time, and an offset longer
     * than the sandbox's whole life is skipped. The expired notice comes from the expiry task.
     */
    @WithDefault("24h,1h,10m")
    List<Duration> sandboxNoticeOffsets();

    /** How often the sandbox notices are looked for (also read by its {@code @Scheduled}). */
    @WithDefault("30s")
    Duration sandboxNoticeInterval();

    /** How long {@code POST /api/notifications/test} waits for its sends before answering. */
    @WithDefault("20s")
    Duration testTimeout();

    /** Whether diagnostic tasks (the engine's self-test and benchmark) notify too; off so a benchmark cannot flood a channel. */
    @WithDefault("false")
    boolean diagnosticTasks();

    /**
     * The HMAC key of the notifications' action links ({@code ACTION_LINK_KEY}, at least 32 characters);
     * unset: a random key kept in the database (see {@code ActionLinks}).
     */
    Optional<String> actionLinkKey();

    /** How long an action link in a notification works ({@code ACTION_LINK_TTL}). */
    @WithDefault("24h")
    Duration actionLinkTtl();

    /** Base URL of the console for the "Open task" links ({@code PUBLIC_BASE_URL}). */
    @WithDefault("http://localhost:8080")
    String publicBaseUrl();

    /** Attempts per notification before it is marked failed. */
    @WithDefault("6")
    int maxAttempts();

    /** First back-off between attempts; doubled per attempt, full jitter, capped at {@link #backoffMax()}. */
    @WithDefault("5s")
    Duration backoffInitial();

    /** The longest back-off between two attempts. */
    @WithDefault("10m")
    Duration backoffMax();

    /**
     * How long a claimed notification belongs to the dispatcher sending it; after that (a crash while
     * sending) it is due again. Longer than the connect plus read timeout of a send.
     */
    @WithDefault("2m")
    Duration claimLease();

    /** How often the dispatcher looks for due notifications (also read by its {@code @Scheduled}; the scheduler ticks once a second, so less is a second). */
    @WithDefault("1s")
    Duration pollInterval();

    /** Notifications claimed per poll. */
    @WithDefault("20")
    int batchSize();

    /**
     * Sends under way at most, in this process ({@code NOTIFY_MAX_IN_FLIGHT}): a poll does not wait for its sends
     * and claims only as many rows as there is room for, so a stalled destination holds back only its own
     * notifications (each send is bounded by its timeout) and never more than this many threads and connections.
     */
    @WithDefault("100")
    int maxInFlight();

    /**
     * How long a finished notification (sent, failed for good, digested, skipped) is kept with its attempts
     * before {@link OutboxPurge} deletes it ({@code NOTIFY_RETENTION}), counted from when it was written. Rows
     * that still stop a repeat outlive it: see {@link OutboxPurge}.
     */
    @WithDefault("30d")
    Duration retention();

    /** How often finished notifications past {@link #retention()} are purged (also read by its {@code @Scheduled}). */
    @WithDefault("1h")
    Duration purgeInterval();

    /** Connect timeout of a webhook call. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Read timeout of a webhook call. */
    @WithDefault("10s")
    Duration readTimeout();

    /** Email over SMTP (the Quarkus Mailer's own keys are derived from the same variables). */
    Email email();

    interface Email {
        /** The SMTP server ({@code SMTP_HOST}); unset: emails are only logged ("simulated") when {@link #simulateWithoutSmtp()}. */
        Optional<String> smtpHost();

        /**
         * Without an SMTP host, log each email to the console as "simulated" instead of failing it
         * (the value of {@code DEMO_MODE}).
         */
        @WithDefault("false")
        boolean simulateWithoutSmtp();

        /**
         * The sender address ({@code SMTP_FROM}, default in microprofile-config.properties as for the
         * mailer's own key, which SMTP reads): SendGrid's {@code from}.
         */
        String from();

        /** SendGrid instead of SMTP when its API key is set. */
        SendGrid sendGrid();
    }

    interface SendGrid {
        /** {@code SENDGRID_API_KEY}: when set, email goes through SendGrid's v3 mail send API, not SMTP. A secret. */
        Optional<String> apiKey();

        /**
         * {@code SENDGRID_BASE_URL}: the API's base URL ({@code /v3/mail/send} is appended; default in
         * microprofile-config.properties: https://api.sendgrid.com).
         */
        String baseUrl();

        /** Hosts the API may be called at ({@code SENDGRID_ALLOWED_HOSTS}; default in microprofile-config.properties: api.sendgrid.com). */
        List<String> allowedHosts();
    }
}
