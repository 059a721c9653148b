package io.cloudops.api.websecurity;

import org.junit.jupiter.api.Test;

import io.vertx.core.net.SocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure rules behind the handlers: same origin, loopback and the cookie attributes added. */
class WebSecurityRulesTest {

    @Test
    void anOriginIsThisServerWhenHostAndPortMatchTheHostHeaderWhateverTheScheme() {
        assertThat(Origins.isSameOrigin("http://localhost:8080", "localhost:8080")).isTrue();
        assertThat(Origins.isSameOrigin("https://cloudops.example.com", "cloudops.example.com")).isTrue();
        assertThat(Origins.isSameOrigin("https://cloudops.example.com", "cloudops.example.com:443")).isTrue();
        assertThat(Origins.isSameOrigin("HTTPS://CloudOps.Example.com", "cloudops.example.com")).isTrue();
        assertThat(Origins.isSameOrigin("http://localhost:8081", "localhost:8080")).isFalse();
        assertThat(Origins.isSameOrigin("https://evil.example", "cloudops.example.com")).isFalse();
        assertThat(Origins.isSameOrigin("https://cloudops.example.com.evil.example", "cloudops.example.com"))
                .isFalse();
        assertThat(Origins.isSameOrigin("null", "localhost:8080")).isFalse();
        assertThat(Origins.isSameOrigin("not a url", "localhost:8080")).isFalse();
        assertThat(Origins.isSameOrigin("http://localhost:8080", null)).isFalse();
    }

    @Test
    void loopbackIsTheOnlyPlaceWhereCookiesNeedNotBeSecure() {
        assertThat(CookieAttributes.isLoopback(SocketAddress.inetSocketAddress(8080, "127.0.0.1"))).isTrue();
        assertThat(CookieAttributes.isLoopback(SocketAddress.inetSocketAddress(8080, "::1"))).isTrue();
        assertThat(CookieAttributes.isLoopback(SocketAddress.inetSocketAddress(8080, "10.1.2.3"))).isFalse();
        assertThat(CookieAttributes.isLoopback(SocketAddress.inetSocketAddress(8080, "192.168.1.20"))).isFalse();
        assertThat(CookieAttributes.isLoopback(null)).isFalse();
    }

    @Test
    void setCookieHeadersGetSameSiteAndSecureWithoutDuplicates() {
        assertThat(CookieAttributes.withAttributes("a=1; Path=/; HttpOnly", true))
                .isEqualTo("a=1; Path=/; HttpOnly; SameSite=Lax; Secure");
        assertThat(CookieAttributes.withAttributes("a=1; Path=/; SameSite=Strict", false))
                .isEqualTo("a=1; Path=/; SameSite=Strict");
        assertThat(CookieAttributes.withAttributes("a=1; Secure; SameSite=None", true))
                .isEqualTo("a=1; Secure; SameSite=None");
        assertThat(CookieAttributes.withAttributes("secure=1; Path=/", true))
                .as("a cookie named secure is not the attribute").isEqualTo("secure=1; Path=/; SameSite=Lax; Secure");
    }
}
