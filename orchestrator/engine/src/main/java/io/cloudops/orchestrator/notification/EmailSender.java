package io.cloudops.orchestrator.notification;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;

/**
 * Emails a notification through the Quarkus Mailer (SMTP: {@code SMTP_HOST}, {@code SMTP_PORT},
 * {@code SMTP_FROM}, {@code SMTP_USERNAME}, {@code SMTP_PASSWORD}, {@code SMTP_TLS}): one message to
 * all of the route's recipients, with an HTML and a plain-text part saying the same. Without an SMTP
 * host in demo mode the email is logged to the console and recorded as "simulated". With
 * {@code SENDGRID_API_KEY} set, the same email goes through SendGrid's API instead ({@link SendGridSender}).
 * Never throws.
 */
@ApplicationScoped
class EmailSender {

    private static final Logger LOG = Logger.getLogger(EmailSender.class);

    private final Mailer mailer;
    private final NotifyConfig config;
    private final SendGridSender sendGrid;

    EmailSender(Mailer mailer, NotifyConfig config, SendGridSender sendGrid) {
        this.mailer = mailer;
        this.config = config;
        this.sendGrid = sendGrid;
    }

    Delivery send(String recipients, NotificationMessage message) {
        long start = System.nanoTime();
        List<String> to = Arrays.stream(recipients.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        String subject = "[CloudOps] " + message.title();
        if (sendGrid.enabled()) {
            return sendGrid.send(to, subject, message);
        }
        String text = EmailBody.text(message);
        if (config.email().smtpHost().filter(h -> !h.isBlank()).isEmpty()) {
            if (config.email().simulateWithoutSmtp()) {
                LOG.infof("Email simulated, not sent (demo mode, no SMTP_HOST configured): to %s, subject \"%s\"%n%s",
                        String.join(", ", to), subject, text);
                return Delivery.simulated(since(start));
            }
            return Delivery.failed(null, "no SMTP server configured (set SMTP_HOST)", since(start));
        }
        try {
            Mail mail = new Mail().setTo(to).setSubject(subject).setText(text).setHtml(EmailBody.html(message))
                    .addHeader("X-CloudOps-Notification-Id", message.notificationId().toString());
            mailer.send(mail);
            return Delivery.sent(null, since(start));
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return Delivery.failed(null, root.getClass().getSimpleName() + ": " + root.getMessage(), since(start));
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
