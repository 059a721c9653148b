package io.cloudops.api.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerTimingHandlerTest {

    @Test
    void durationsAreMillisecondsWithTwoDecimals() {
        assertThat(ServerTimingHandler.duration(0)).isEqualTo("app;dur=0.00");
        assertThat(ServerTimingHandler.duration(50_000)).isEqualTo("app;dur=0.05");
        assertThat(ServerTimingHandler.duration(1_234_567)).isEqualTo("app;dur=1.23");
        assertThat(ServerTimingHandler.duration(12_000_000_000L)).isEqualTo("app;dur=12000.00");
        assertThat(ServerTimingHandler.duration(-5)).isEqualTo("app;dur=0.00");
    }
}
