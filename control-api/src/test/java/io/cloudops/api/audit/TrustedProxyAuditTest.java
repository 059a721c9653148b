package io.cloudops.api.audit;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import static io.cloudops.api.audit.AuditApi.only;
import static io.cloudops.api.audit.AuditApi.requestId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a proxy that {@code quarkus.http.proxy.*} says to trust, the audit log's source address
 * is the client the proxy names in {@code X-Forwarded-For} ({@link AuditLogTest} shows that the
 * header counts for nothing by default). One profile of its own: the setting is the server's.
 */
@QuarkusTest
@TestProfile(TrustedProxyAuditTest.TrustedProxy.class)
class TrustedProxyAuditTest {

    /** Forwarding headers trusted from the loopback proxy (the test client). */
    public static class TrustedProxy implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1,0:0:0:0:0:0:0:1");
        }

        @Override
        public String getConfigProfile() {
            return "test";
        }
    }

    @Test
    void theSourceAddressIsTheClientATrustedProxyNames() {
        String request = requestId();
        given().header(RequestIdHandler.HEADER, request).header("X-Forwarded-For", "203.0.113.9")
                .contentType(ContentType.JSON).body(Map.of("name", Fixtures.uniqueName("proxied")))
                .post("/api/projects").then().statusCode(201);
        assertThat(only(request).getString("sourceAddress")).isEqualTo("203.0.113.9");
    }
}
