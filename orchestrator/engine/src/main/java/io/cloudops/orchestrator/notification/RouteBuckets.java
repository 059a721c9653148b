package io.cloudops.orchestrator.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.Sha256;

/**
 * No spam: a token bucket per route (kind and target), {@link NotifyConfig#routeBurst()} tokens, refilled
 * at {@link NotifyConfig#routePerMinute()}. The one writer of {@code notification_route_bucket} (V8). The
 * buckets live in the database and are taken in the claim's transaction, under the route's row lock,
 * so they hold across any number of dispatchers; the routes are locked in one order (kind, hash of the
 * target), so two claims never deadlock. What a bucket holds back is never dropped: it joins the
 * route's open digest ({@link RouteDigests}), sent once per route and window.
 */
@ApplicationScoped
class RouteBuckets {

    private final NotifyConfig config;
    private final RouteDigests digests;

    RouteBuckets(NotifyConfig config, RouteDigests digests) {
        this.config = config;
        this.digests = digests;
    }

    /** Of the rows just claimed, those to send now; the others went into their route's digest. */
    List<ClaimedNotification> admit(Connection c, List<ClaimedNotification> claimed)
            throws SQLException {
        Map<String, List<ClaimedNotification>> routes = new TreeMap<>();
        List<ClaimedNotification> admitted = new ArrayList<>();
        for (ClaimedNotification row : claimed) {
            if (row.takesAToken()) {
                routes.computeIfAbsent(row.kind().value() + ":" + Sha256.hex(row.target()), k -> new ArrayList<>())
                        .add(row);
            } else {
                admitted.add(row);
            }
        }
        Map<String, List<ClaimedNotification>> held = new LinkedHashMap<>();
        for (Map.Entry<String, List<ClaimedNotification>> route : routes.entrySet()) {
            List<ClaimedNotification> rows = new ArrayList<>(route.getValue());
            rows.sort(Comparator.comparing(ClaimedNotification::createdAt));
            ClaimedNotification first = rows.get(0);
            int tokens = take(c, first.kind(), route.getKey().substring(route.getKey().indexOf(':') + 1), rows.size());
            admitted.addAll(rows.subList(0, tokens));
            if (tokens < rows.size()) {
                held.put(route.getKey(), rows.subList(tokens, rows.size()));
            }
        }
        for (List<ClaimedNotification> overflow : held.values()) {
            digests.digest(c, overflow.get(0).kind(), overflow.get(0).target(), overflow);
        }
        return admitted;
    }

    /**
     * Refills the route's bucket for the time since it was last refilled, takes up to {@code wanted}
     * whole tokens and returns how many it took. The upsert locks the route's row until the claim commits.
     */
    private int take(Connection c, RouteKind kind, String hash, int wanted) throws SQLException {
        double tokens;
        try (PreparedStatement refill = c.prepareStatement(
                """
                        INSERT INTO notification_route_bucket AS b (route_kind, route_hash, tokens, refilled_at)
                        VALUES (?, ?, ?, clock_timestamp())
                        ON CONFLICT (route_kind, route_hash) DO UPDATE SET
                            tokens = LEAST(EXCLUDED.tokens,
                                           b.tokens + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - b.refilled_at)) * ? / 60.0),
                            refilled_at = GREATEST(b.refilled_at, clock_timestamp())
                        RETURNING tokens""")) {
            refill.setString(1, kind.value());
            refill.setString(2, hash);
            refill.setDouble(3, config.routeBurst());
            refill.setDouble(4, config.routePerMinute());
            try (ResultSet rs = refill.executeQuery()) {
                rs.next();
                tokens = rs.getDouble(1);
            }
        }
        int taken = (int) Math.min(wanted, Math.floor(tokens));
        if (taken > 0) {
            try (PreparedStatement spend = c.prepareStatement(
                    "UPDATE notification_route_bucket SET tokens = tokens - ? WHERE route_kind = ? AND route_hash = ?")) {
                spend.setInt(1, taken);
                spend.setString(2, kind.value());
                spend.setString(3, hash);
                spend.executeUpdate();
            }
        }
        return taken;
    }
}
