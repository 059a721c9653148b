package io.cloudops.orchestrator.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.orchestrator.engine.Tx;
import io.cloudops.orchestrator.notification.NotifyConfig;
import io.quarkus.runtime.Startup;

/**
 * The action buttons of notifications (Retry, Approve, Reject, Extend TTL 1h) as signed, expiring,
 * single-use deep links into the console: {@code PUBLIC_BASE_URL/links/<token>}. The token names
 * the action, its subject (a task or a sandbox), when it expires and a nonce, signed with HMAC-SHA256.
 * A link only opens a confirmation page: sign-in and the action's role still apply, and nothing
 * happens before the person confirms. Its first confirmed use records the nonce
 * ({@code action_link_use}), so a second click, by anyone, is refused with who used it and when.
 * <p>
 * The key is {@code ACTION_LINK_KEY} (at least 32 characters; rotate it to revoke every link out
 * there); without it a random key is made once and kept in the database, which every instance shares.
 */
@ApplicationScoped
@Startup
public class ActionLinks {

    /** What a link does. {@link #value()} is the token's and the audit entries' name. */
    public enum Action {
        RETRY("retry", "Retry"), APPROVE("approve", "Approve"), REJECT("reject", "Reject"), EXTEND("extend",
                "Extend TTL 1h");

        private final String value;
        private final String label;

        Action(String value, String label) {
            this.value = value;
            this.label = label;
        }

        public String value() {
            return value;
        }

        /** The button's label. */
        public String label() {
            return label;
        }

        static Optional<Action> fromValue(String value) {
            for (Action action : values()) {
                if (action.value.equals(value)) {
                    return Optional.of(action);
                }
            }
            return Optional.empty();
        }
    }

    /** A link whose signature held: what it does, to what, until when, and its nonce. */
    public record Link(Action action, UUID subject, Instant expiresAt, UUID nonce) {
    }

    /** Who used a link, and when. */
    public record Use(String by, Instant at) {
    }

    /** The link, or why it is refused (malformed, forged or expired): exactly one of the two is set. */
    public record Checked(Link link, String refusal) {

        public boolean valid() {
            return link != null;
        }
    }

    /** A link that was used already: the 409 names who used it and when. */
    public static class AlreadyUsed extends TaskErrors.Conflict {
        private final transient Use use;

        public AlreadyUsed(Use use) {
            super("this link was already used by " + use.by() + " at " + use.at()
                    + "; each action link works once: open the task or sandbox in the console instead");
            this.use = use;
        }

        public Use use() {
            return use;
        }
    }

    /** In the path: {@code /links/<token>}. */
    public static final String PATH = "/links/";

    private static final String VERSION = "v1";
    private static final int MIN_KEY_LENGTH = 32;
    private static final int MAX_TOKEN_LENGTH = 512;
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final DataSource dataSource;
    private final Duration ttl;
    private final Optional<String> configuredKey;
    private volatile SecretKeySpec key;

    @jakarta.inject.Inject
    ActionLinks(DataSource dataSource, NotifyConfig config) {
        this(dataSource, config.actionLinkTtl(), config.actionLinkKey());
    }

    /** With {@code key} (blank or empty: the database's) and links valid for {@code ttl}. */
    ActionLinks(DataSource dataSource, Duration ttl, Optional<String> key) {
        this.dataSource = dataSource;
        this.ttl = ttl;
        this.configuredKey = key.filter(k -> !k.isBlank());
        configuredKey.ifPresent(k -> {
            if (k.length() < MIN_KEY_LENGTH) {
                throw new IllegalStateException("ACTION_LINK_KEY (cloudops.notify.action-link-key) must be at least "
                        + MIN_KEY_LENGTH + " characters; it has " + k.length());
            }
        });
    }

    /** The console URL of a new link: {@code base/links/<token>}, valid for {@code ACTION_LINK_TTL}. */
    public String url(String base, Action action, UUID subject) {
        return base + PATH + sign(action, subject, Instant.now().plus(ttl));
    }

    /** A token for {@code action} on {@code subject}, valid until {@code expiresAt}. */
    public String sign(Action action, UUID subject, Instant expiresAt) {
        String payload = String.join(".", VERSION, action.value(), subject.toString(),
                Long.toString(expiresAt.getEpochSecond()), UUID.randomUUID().toString());
        byte[] body = payload.getBytes(StandardCharsets.US_ASCII);
        return B64.encodeToString(body) + "." + B64.encodeToString(mac(body));
    }

    /** Checks a token's form, signature and expiry (not whether it was used: {@link #use}). */
    public Checked check(String token, Instant now) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || token.indexOf('.') < 0) {
            return refused("this is not an action link");
        }
        int dot = token.indexOf('.');
        byte[] body;
        byte[] signature;
        try {
            body = B64_DECODE.decode(token.substring(0, dot));
            signature = B64_DECODE.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return refused("this is not an action link");
        }
        if (!MessageDigest.isEqual(mac(body), signature)) {
            return refused("this link's signature does not hold: it was altered, or the key it was signed with "
                    + "(ACTION_LINK_KEY) changed since");
        }
        String[] parts = new String(body, StandardCharsets.US_ASCII).split("\\.");
        Optional<Action> action = parts.length == 5 && VERSION.equals(parts[0])
                ? Action.fromValue(parts[1])
                : Optional.empty();
        if (action.isEmpty()) {
            return refused("this is not an action link");
        }
        Instant expiresAt;
        UUID subject;
        UUID nonce;
        try {
            subject = UUID.fromString(parts[2]);
            expiresAt = Instant.ofEpochSecond(Long.parseLong(parts[3]));
            nonce = UUID.fromString(parts[4]);
        } catch (IllegalArgumentException e) { // NumberFormatException too
            return refused("this is not an action link");
        }
        if (!now.isBefore(expiresAt)) {
            return refused("this link expired at " + expiresAt + "; links in notifications work for "
                    + ttl.toHours() + " h: open the task or sandbox in the console instead");
        }
        return new Checked(new Link(action.get(), subject, expiresAt, nonce), null);
    }

    /** Who used the link, if anyone did. */
    public Optional<Use> use(Link link) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement select = c
                    .prepareStatement("SELECT used_by, used_at FROM action_link_use WHERE nonce = ?")) {
                select.setObject(1, link.nonce());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Use(rs.getString(1), rs.getTimestamp(2).toInstant()))
                            : Optional.<Use>empty();
                }
            }
        });
    }

    /**
     * Records the link's use by {@code by}, once: a second use (concurrent or later) throws
     * {@link AlreadyUsed}. Purges the uses of links that expired a day ago.
     */
    public void consume(Link link, String by) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        boolean first = Tx.run(dataSource, c -> {
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM action_link_use WHERE expires_at < ?")) {
                purge.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(1))));
                purge.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO action_link_use (nonce, action, subject_id, used_by, used_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (nonce) DO NOTHING""")) {
                insert.setObject(1, link.nonce());
                insert.setString(2, link.action().value());
                insert.setObject(3, link.subject());
                insert.setString(4, by);
                insert.setTimestamp(5, Timestamp.from(now));
                insert.setTimestamp(6, Timestamp.from(link.expiresAt()));
                return insert.executeUpdate() == 1;
            }
        });
        if (!first) {
            throw new AlreadyUsed(use(link).orElse(new Use("someone", now)));
        }
    }

    /** Gives a consumed link back when its action was refused (wrong state, role), so it may be used again. */
    public void release(Link link) {
        Tx.run(dataSource, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM action_link_use WHERE nonce = ?")) {
                delete.setObject(1, link.nonce());
                return delete.executeUpdate();
            }
        });
    }

    private static Checked refused(String reason) {
        return new Checked(null, reason);
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key());
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current == null) {
            byte[] secret = configuredKey.map(k -> k.getBytes(StandardCharsets.UTF_8)).orElseGet(this::storedKey);
            current = new SecretKeySpec(secret, HMAC);
            key = current;
        }
        return current;
    }

    /** The database's key, made by the first instance that needs one (the others read the same row). */
    private byte[] storedKey() {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        return Tx.run(dataSource, c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO action_link_key (id, secret, created_at) VALUES (1, ?, now()) ON CONFLICT (id) DO NOTHING")) {
                insert.setBytes(1, fresh);
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("SELECT secret FROM action_link_key WHERE id = 1")) {
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }
        });
    }
}
