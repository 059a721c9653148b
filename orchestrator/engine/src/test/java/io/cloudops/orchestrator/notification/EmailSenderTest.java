package io.cloudops.orchestrator.notification;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Without an SMTP host: "simulated" (logged) in demo mode, a plain failure otherwise; the two parts say the same. */
class EmailSenderTest {

    private static final NotificationMessage FAILED = new NotificationMessage(UUID.randomUUID(), "dead_lettered",
            UUID.randomUUID(), "db_backup", "azure-postgres/orders", null, Duration.ofMillis(850), "bob", "dump",
            "pg_dump exited 1 <oops>", "Check the credentials", "http://localhost:8080/tasks/x");

    private static EmailSender sender(boolean simulate) {
        NotifyConfig config = TestNotifyConfig.of(java.util.Map.of("email.simulateWithoutSmtp", simulate));
        return new EmailSender(null, null, config, new SendGridSender(config, new OutboundPolicy(config)),
                Duration.ofSeconds(15));
    }

    @Test
    void demoModeWithoutSmtpSimulatesAndCountsItDelivered() {
        Delivery delivery = sender(true).send("a@example.com, b@example.com", FAILED);
        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.SIMULATED);
        assertThat(delivery.delivered()).isTrue();
    }

    @Test
    void withoutSmtpOutsideDemoModeTheEmailFailsSayingWhatToSet() {
        Delivery delivery = sender(false).send("a@example.com", FAILED);
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.error()).isEqualTo("no SMTP server configured (set SMTP_HOST)");
    }

    @Test
    void theTextAndHtmlPartsCarryTheSameFactsAndTheHtmlIsEscaped() {
        String text = EmailBody.text(FAILED);
        String html = EmailBody.html(FAILED);
        assertThat(text).contains("Status: Dead-lettered", "Failed step: dump", "Error: pg_dump exited 1 <oops>",
                "Hint: Check the credentials", "Duration: 850 ms", "Open task: http://localhost:8080/tasks/x");
        assertThat(html).contains("<td>Dead-lettered</td>", "<td>dump</td>", "pg_dump exited 1 &lt;oops&gt;",
                "<td>850 ms</td>", "href=\"http://localhost:8080/tasks/x\"").doesNotContain("<oops>");
    }
}
