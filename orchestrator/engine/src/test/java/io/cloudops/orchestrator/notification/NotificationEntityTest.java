package io.cloudops.orchestrator.notification;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** What a task notification calls its entity: the stored label, else the payload's names, else the id. */
class NotificationEntityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENV = "0b6c3c1e-4a8e-4d7e-9a55-3f0f2f6c1a10";

    @Test
    void theLabelStoredWithTheTaskWins() {
        // a sandbox expiry's payload has no project name: only the stored label names it
        JsonNode expiry = json("{\"environmentId\":\"" + ENV + "\",\"name\":\"sandbox-1a2b\"}");
        assertThat(NotificationMessages.entity("demo/sandbox-1a2b", "sandbox_expire", ENV, expiry))
                .isEqualTo("demo/sandbox-1a2b");
        assertThat(NotificationMessages.entity(null, "sandbox_expire", ENV, expiry)).isEqualTo(ENV);
    }

    @Test
    void aTaskFromBeforeLabelsIsNamedFromItsPayloadByTheSameRule() {
        assertThat(NotificationMessages.entity(null, "deployment", ENV,
                json("{\"projectName\":\"demo\",\"envName\":\"dev\"}"))).isEqualTo("demo/dev");
        assertThat(NotificationMessages.entity(null, "deployment", "preview/" + ENV + "/x",
                json("{\"projectName\":\"demo\",\"envName\":\"dev\",\"dryRun\":true}")))
                .isEqualTo("demo/dev (preview)");
        assertThat(NotificationMessages.entity(null, "sandbox_create", ENV,
                json("{\"projectName\":\"demo\",\"name\":\"sandbox-1a2b\"}"))).isEqualTo("demo/sandbox-1a2b");
        assertThat(NotificationMessages.entity(null, "db_backup", "azure-postgres/orders",
                json("{\"engine\":\"azure-postgres\",\"instanceId\":\"orders\"}"))).isEqualTo("azure-postgres/orders");
        assertThat(NotificationMessages.entity(null, "restart_workload", "shop-prod/api",
                json("{\"namespace\":\"shop-prod\",\"name\":\"api\"}"))).isEqualTo("shop-prod/api");
    }

    @Test
    void anEntityWithoutANameIsItsId() {
        assertThat(NotificationMessages.entity(null, "diagnostic", "diag/env-1", json("{\"steps\":2}")))
                .isEqualTo("diag/env-1");
        assertThat(NotificationMessages.entity(null, "deployment", ENV, json("{\"envName\":\"dev\"}"))).isEqualTo(ENV);
        assertThat(NotificationMessages.entity(" ", "deployment", ENV, null)).isEqualTo(ENV);
        assertThat(NotificationMessages.entity(null, "unknown_type", "x/y", json("{\"projectName\":\"demo\"}")))
                .isEqualTo("x/y");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
