package io.cloudops.orchestrator.notification;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Emails a notification through the Quarkus Mailer (SMTP: {@code SMTP_HOST}, {@code SMTP_PORT},
 * {@code SMTP_FROM}, {@code SMTP_USERNAME}, {@code SMTP_PASSWORD}, {@code SMTP_TLS}): one message to
 * all of the route's recipients, with an HTML and a plain-text part saying the same. Without an SMTP
 * host in demo mode the email is logged to the console and recorded as "simulated". With
 * {@code SENDGRID_API_KEY} set, the same email goes through SendGrid's API instead ({@link SendGridSender}).
 * Never throws.
 * <p>
 * Every SMTP send starts on one Vert.x event-loop context of its own, never on the calling thread. Vert.x's mail
 * client reads the server's greeting on the context of the thread that opened the connection but installs its
 * reader on the context of the send the connection was handed to; a socket drops what arrives before its reader
 * is installed. Called from the dispatcher's virtual threads, each with a context of its own, the two contexts
 * are often on different event loops, and a {@code 220} greeting that came first was lost: the send then waited
 * for it until {@code SMTP_TIMEOUT} (3 % of one-at-a-time sends to a local server, 12 % of four at once; none of
 * 4,000 from one context). The Quarkus Mailer's blocking API sends on its caller's thread, so the reactive one
 * is subscribed on that context and awaited here, bounded by {@code SMTP_TIMEOUT}.
 */
@ApplicationScoped
class EmailSender {

    private static final Logger LOG = Logger.getLogger(EmailSender.class);

    private final ReactiveMailer mailer;
    private final Vertx vertx;
    private final NotifyConfig config;
    private final SendGridSender sendGrid;
    private final Duration timeout;
    private Context smtpContext;

    EmailSender(ReactiveMailer mailer, Vertx vertx, NotifyConfig config, SendGridSender sendGrid,
            @ConfigProperty(name = "quarkus.mailer.timeout") Duration timeout) {
        this.mailer = mailer;
        this.vertx = vertx;
        this.config = config;
        this.sendGrid = sendGrid;
        this.timeout = timeout;
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
            Context context = smtpContext();
            mailer.send(mail).runSubscriptionOn(send -> context.runOnContext(v -> send.run())).await()
                    .atMost(timeout);
            return Delivery.sent(null, since(start));
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return Delivery.failed(null, root.getClass().getSimpleName() + ": " + root.getMessage(), since(start));
        }
    }

    /**
     * The context SMTP sends start on: made on a platform thread of its own, where Vert.x has no current context
     * and so creates an event-loop context (the caller's thread may be a virtual thread, a worker or an event
     * loop, each with a context of its own).
     */
    private synchronized Context smtpContext() {
        if (smtpContext == null) {
            CompletableFuture<Context> made = new CompletableFuture<>();
            Thread.ofPlatform().name("cloudops-smtp-context").start(() -> made.complete(vertx.getOrCreateContext()));
            smtpContext = made.join();
        }
        return smtpContext;
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
