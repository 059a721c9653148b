package io.cloudops.api.websecurity;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * The live hub's upgrade ({@code /hubs/tasks}) is refused (403) when a browser opens it from a page
 * of another site: its {@code Origin} must be this server or an allowed CORS origin ({@link Origins}).
 * Browsers do not apply CORS to WebSockets and send the cookies, so without this check any page
 * could read the task stream of whoever visits it. No {@code Origin}: not a browser, allowed.
 */
@ApplicationScoped
public class HubOriginCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(HubOriginCheck.class);

    private final Origins origins;

    HubOriginCheck(Origins origins) {
        this.origins = origins;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String origin = context.httpRequest().getHeader("Origin");
        if (origin == null || origins.isAllowed(origin, context.httpRequest())) {
            return CheckResult.permitUpgrade();
        }
        LOG.debugf("WebSocket upgrade from origin %s refused", origin);
        return CheckResult.rejectUpgrade(403);
    }
}
