package io.cloudops.orchestrator.notification;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A webhook URL is a secret: only its scheme and host are ever shown. */
class RouteKindTest {

    @Test
    void aWebhookShowsOnlySchemeAndHost() {
        assertThat(RouteKind.TEAMS.mask(
                "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=SECRET"))
                .isEqualTo("https://prod-12.westeurope.logic.azure.com/****");
        assertThat(RouteKind.TEAMS.mask("not a url")).isEqualTo("****");
    }

    @Test
    void emailRecipientsAreShownAsTheyAre() {
        assertThat(RouteKind.EMAIL.mask("a@example.com,b@example.com")).isEqualTo("a@example.com,b@example.com");
    }
}
