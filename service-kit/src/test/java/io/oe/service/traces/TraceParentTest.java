package io.oe.service.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceParentTest {
    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aValidTraceparentIsReadAsARemoteParentAndWrittenBackTheSame() {
        var c = TraceParent.parse(VALID, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
        assertThat(c.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(c.getSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(c.isSampled()).isTrue();
        assertThat(c.isRemote()).isTrue();
        assertThat(TraceParent.format(c)).isEqualTo(VALID);
        assertThat(TraceParent.formatState(c)).isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    }

    @Test
    void aLaterVersionMayCarryMoreFieldsAfterTheFlags() {
        assertThat(TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-more", null).isSampled()).isFalse();
    }

    @Test
    void aTracestateThatDoesNotParseIsDroppedAndTheParentKept() {
        var c = TraceParent.parse(VALID, "no equals sign here");
        assertThat(c.getTraceState().isEmpty()).isTrue();
        assertThat(c.getSpanId()).isEqualTo("00f067aa0ba902b7");
    }

    @Test
    void garbageIsRefusedWithAMessageThatSaysWhatIsWrong() {
        assertThatThrownBy(() -> TraceParent.parse("garbage", null)).hasMessage(
                "traceparent 'garbage' is not W3C trace context; " + TraceParent.EXPECTED);
        assertThatThrownBy(() -> TraceParent.parse("", null)).hasMessageStartingWith("traceparent is empty");
        assertThatThrownBy(() -> TraceParent.parse(null, null)).hasMessageStartingWith("traceparent is empty");
        assertThatThrownBy(() -> TraceParent.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", null))
                .hasMessageContaining("is not W3C trace context"); // upper-case hex is not allowed
        assertThatThrownBy(() -> TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01", null))
                .hasMessageEndingWith("has an all-zero trace id");
        assertThatThrownBy(() -> TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", null))
                .hasMessageEndingWith("has an all-zero span id");
        assertThatThrownBy(() -> TraceParent.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null))
                .hasMessageEndingWith("has version ff, which the spec forbids");
        assertThatThrownBy(() -> TraceParent.parse(VALID + "-extra", null))
                .hasMessageEndingWith("has fields after its flags, which version 00 does not have");
        assertThatThrownBy(() -> TraceParent.parse("x".repeat(600), null))
                .hasMessageStartingWith("traceparent is 600 characters long (at most 512)");
    }

    @Test
    void aLineBreakInGarbageIsNotCarriedIntoTheLog() {
        assertThatThrownBy(() -> TraceParent.parse("00-abc\nFAKE LOG LINE", null))
                .hasMessage("traceparent '00-abc?FAKE LOG LINE' is not W3C trace context; " + TraceParent.EXPECTED);
    }
}
