package io.cloudops.orchestrator.notification;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The send-time check of a webhook URL: https, an allowed host, no private address unless listed exactly. */
class OutboundPolicyTest {

    private static OutboundPolicy policy(String... hosts) {
        return new OutboundPolicy(TestNotifyConfig.of(Map.of("teamsAllowedHosts", List.of(hosts))));
    }

    @Test
    void onlyHttpsToAnAllowedHost() {
        OutboundPolicy policy = policy("*.webhook.office.com", "outlook.office.com");
        assertThat(policy.refusal("http://contoso.webhook.office.com/x")).hasValueSatisfying(
                reason -> assertThat(reason).startsWith("only https"));
        assertThat(policy.refusal("https://evil.example.com/x"))
                .hasValue("host evil.example.com is not in TEAMS_WEBHOOK_ALLOWED_HOSTS");
        assertThat(policy.refusal("https://webhook.office.com.evil.example/x")).isPresent();
        assertThat(policy.refusal("not a url at all")).isPresent();
    }

    @Test
    void aWildcardNeverReachesAPrivateAddress() {
        // an IP literal matched by a wildcard: no DNS needed to show the address check
        assertThat(policy("*.0.0.1").refusal("https://127.0.0.1/hook"))
                .hasValue("host 127.0.0.1 resolves to a private address (127.0.0.1)");
        assertThat(policy("*.168.1.20").refusal("https://192.168.1.20/hook")).isPresent();
        assertThat(policy("*.254.169.254").refusal("https://169.254.169.254/latest")).isPresent();
    }

    @Test
    void aHostListedExactlyIsTrustedAsConfigured() {
        assertThat(policy("127.0.0.1").refusal("http://127.0.0.1:8081/hook")).isEmpty();
    }

    @Test
    void eachKindOfRouteHasItsOwnAllowList() {
        OutboundPolicy policy = new OutboundPolicy(TestNotifyConfig.of(Map.of(
                "teamsAllowedHosts", List.of("*.webhook.office.com"),
                "slackAllowedHosts", List.of("hooks.slack.com"),
                "pagerDuty.allowedHosts", List.of("events.pagerduty.com", "events.eu.pagerduty.com"),
                "email.sendGrid.allowedHosts", List.of("api.sendgrid.com"))));
        assertThat(policy.refusal(RouteKind.SLACK, "https://acme.webhook.office.com/x"))
                .hasValue("host acme.webhook.office.com is not in SLACK_WEBHOOK_ALLOWED_HOSTS");
        assertThat(policy.refusal(RouteKind.TEAMS, "https://hooks.slack.com/services/x"))
                .hasValue("host hooks.slack.com is not in TEAMS_WEBHOOK_ALLOWED_HOSTS");
        assertThat(policy.refusal(RouteKind.PAGERDUTY, "https://events.example.com/v2/enqueue"))
                .hasValue("host events.example.com is not in PAGERDUTY_ALLOWED_HOSTS");
        assertThat(policy.sendGridRefusal("https://mail.example.com"))
                .hasValue("host mail.example.com is not in SENDGRID_ALLOWED_HOSTS");
        assertThat(policy.refusal(RouteKind.SLACK, "http://hooks.slack.com/services/x"))
                .as("listed exactly: trusted as configured").isEmpty();
        assertThat(policy.refusal(RouteKind.SLACK, "http://evil.hooks.slack.com/services/x")).isPresent();
    }
}
