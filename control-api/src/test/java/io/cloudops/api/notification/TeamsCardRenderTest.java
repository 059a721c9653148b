package io.cloudops.api.notification;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import io.cloudops.api.testsupport.Chromium;
import io.cloudops.orchestrator.notification.NotificationMessage;
import io.cloudops.orchestrator.notification.TeamsCard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failure's Teams card as a host renders it: Microsoft's Adaptive Cards SDK ({@code tools/adaptivecards},
 * the renderer Teams' web client builds on) draws the card in Debian's chromium, which must show the
 * title, the facts, the error with its hint and the buttons. The picture is
 * {@code target/screenshots/teams-card-failed.png} (README and docs/notifications.md show a copy,
 * docs/images/teams-card-failed.png). TeamsCardSchemaTest installs the SDK when missing; so does make test.
 */
class TeamsCardRenderTest {

    private static final Path SDK = Path.of("..", "tools", "adaptivecards", "node_modules", "adaptivecards", "dist",
            "adaptivecards.js").toAbsolutePath().normalize();

    @Test
    void aFailuresCardRendersItsFactsErrorAndButtons() throws Exception {
        assertThat(SDK).as("the Adaptive Cards SDK (npm ci in tools/adaptivecards; make test does it)")
                .isRegularFile();
        UUID task = UUID.fromString("4a0c3c1e-2f7b-4d59-9a8e-0d5c1f2b3a4d");
        NotificationMessage failed = new NotificationMessage(UUID.randomUUID(), "failed", task, "deployment",
                "demo/prod", "prod", Duration.ofSeconds(65), "alice", "apply",
                "apply: rollout of deployment/web timed out after 300 s (2 of 3 replicas ready)",
                "Check the pods' events: kubectl -n demo-prod describe pod -l app=web",
                "https://cloudops.example.com/tasks/" + task, null,
                List.of(new NotificationMessage.Button("Retry", "https://cloudops.example.com/links/t0k3n")));
        String card = new ObjectMapper().writeValueAsString(TeamsCard.card(failed));

        try (Chromium chromium = Chromium.launch()) {
            Page page = chromium.browser().newPage(new com.microsoft.playwright.Browser.NewPageOptions()
                    .setViewportSize(560, 700).setDeviceScaleFactor(1));
            page.setContent("<!doctype html><html><body style=\"margin:0;background:#f5f5f5;"
                    + "font-family:'Segoe UI',sans-serif\"><div id=\"card\" style=\"width:520px;margin:20px;"
                    + "background:#fff;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.2)\"></div></body></html>");
            page.addScriptTag(new Page.AddScriptTagOptions().setPath(SDK));
            page.evaluate("json => { const card = new AdaptiveCards.AdaptiveCard(); card.parse(JSON.parse(json));"
                    + " document.getElementById('card').appendChild(card.render()); }", card);
            Locator rendered = page.locator("#card");
            assertThat(rendered).containsText("deployment failed: demo/prod");
            assertThat(rendered).containsText("Requested by");
            assertThat(rendered).containsText("rollout of deployment/web timed out");
            assertThat(rendered).containsText("Check the pods' events");
            // the SDK draws an Action.OpenUrl as a push button (its ARIA role is link: it opens a page)
            assertThat(rendered.locator(".ac-pushButton").getByText("Open task", new Locator.GetByTextOptions()
                    .setExact(true))).isVisible();
            assertThat(rendered.locator(".ac-pushButton").getByText("Retry", new Locator.GetByTextOptions()
                    .setExact(true))).isVisible();
            Path shot = Files.createDirectories(Path.of("target", "screenshots")).resolve("teams-card-failed.png");
            rendered.screenshot(new Locator.ScreenshotOptions().setPath(shot));
            assertThat(Files.size(shot)).isGreaterThan(1000);
        }
    }
}
