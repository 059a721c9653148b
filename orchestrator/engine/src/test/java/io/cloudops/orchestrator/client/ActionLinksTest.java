package io.cloudops.orchestrator.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tokens of the notifications' action links: what they carry, and that a forged, altered, foreign
 * or expired one is refused. Single use is checked against the database in ActionLinkPageTest.
 */
class ActionLinksTest {

    private static final String KEY = "a-test-key-of-at-least-32-characters!";
    private static final UUID TASK = UUID.fromString("4a0c3c1e-2f7b-4d59-9a8e-0d5c1f2b3a4d");
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");

    private final ActionLinks links = new ActionLinks(null, Duration.ofHours(24), Optional.of(KEY));

    @Test
    void aSignedLinkCarriesItsActionSubjectExpiryAndANonceOfItsOwn() {
        String token = links.sign(ActionLinks.Action.APPROVE, TASK, NOW.plusSeconds(3600));
        ActionLinks.Checked checked = links.check(token, NOW);
        assertThat(checked.valid()).isTrue();
        assertThat(checked.link().action()).isEqualTo(ActionLinks.Action.APPROVE);
        assertThat(checked.link().subject()).isEqualTo(TASK);
        assertThat(checked.link().expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        String again = links.sign(ActionLinks.Action.APPROVE, TASK, NOW.plusSeconds(3600));
        assertThat(links.check(again, NOW).link().nonce()).isNotEqualTo(checked.link().nonce());
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"); // safe in a path segment as it is
    }

    @Test
    void theUrlPointsAtTheConsolesConfirmationPage() {
        String url = links.url("https://cloudops.example.com", ActionLinks.Action.RETRY, TASK);
        assertThat(url).startsWith("https://cloudops.example.com/links/");
        ActionLinks.Checked checked = links.check(url.substring(url.lastIndexOf('/') + 1), Instant.now());
        assertThat(checked.link().action()).isEqualTo(ActionLinks.Action.RETRY);
        assertThat(checked.link().expiresAt()).isBetween(Instant.now().plus(Duration.ofHours(23)),
                Instant.now().plus(Duration.ofHours(24)));
    }

    @Test
    void anExpiredLinkIsRefusedSayingWhen() {
        String token = links.sign(ActionLinks.Action.EXTEND, TASK, NOW);
        ActionLinks.Checked checked = links.check(token, NOW);
        assertThat(checked.valid()).isFalse();
        assertThat(checked.refusal()).contains("expired at 2026-12-03T08:00:00Z");
    }

    @Test
    void anAlteredLinkIsRefused() {
        String token = links.sign(ActionLinks.Action.RETRY, TASK, NOW.plusSeconds(60));
        String body = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.US_ASCII);
        // the same signature over another action: Approve instead of Retry
        String forged = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(body.replace(".retry.", ".approve.").getBytes(StandardCharsets.US_ASCII))
                + token.substring(token.indexOf('.'));
        assertThat(links.check(forged, NOW).refusal()).contains("signature does not hold");
    }

    @Test
    void aLinkSignedWithAnotherKeyIsRefused() {
        ActionLinks other = new ActionLinks(null, Duration.ofHours(24), Optional.of(KEY.replace('a', 'b')));
        String token = other.sign(ActionLinks.Action.RETRY, TASK, NOW.plusSeconds(60));
        assertThat(links.check(token, NOW).refusal()).contains("signature does not hold");
    }

    @Test
    void whatIsNotATokenIsRefusedWithoutAnError() {
        for (String junk : new String[]{null, "", "abc", "a.b", "!!!.???", "x".repeat(600) + ".y"}) {
            ActionLinks.Checked checked = links.check(junk, NOW);
            assertThat(checked.valid()).as(String.valueOf(junk)).isFalse();
            assertThat(checked.refusal()).isNotBlank();
        }
    }

    @Test
    void aShortKeyRefusesToStart() {
        assertThatThrownBy(() -> new ActionLinks(null, Duration.ofHours(1), Optional.of("short")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ACTION_LINK_KEY")
                .hasMessageContaining("at least 32 characters");
    }
}
