package io.oe.service.traces;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

    @Test
    void aContextWrittenOnARecordIsReadBackFromIt() {
        var context = ExecutionSpans.attempt("exec_1", 3, 2);
        var headers = TraceHeaders.write(new RecordHeaders(), context);
        var read = TraceHeaders.read(headers, "phase-ready-0@7");
        assertThat(read).isPresent();
        assertThat(read.get().getTraceId()).isEqualTo(context.getTraceId());
        assertThat(read.get().getSpanId()).isEqualTo(context.getSpanId());
    }

    @Test
    void writingReplacesTheContextARecordAlreadyHad() {
        var headers = TraceHeaders.write(new RecordHeaders(), ExecutionSpans.execution("exec_1"));
        TraceHeaders.write(headers, ExecutionSpans.phase("exec_1", 1));
        assertThat(headers.headers(TraceHeaders.TRACEPARENT)).hasSize(1);
        assertThat(TraceHeaders.read(headers, "here").orElseThrow().getSpanId())
                .isEqualTo(ExecutionSpans.phase("exec_1", 1).getSpanId());
    }

    @Test
    void aRecordWithoutTraceContextHasNone() {
        assertThat(TraceHeaders.read(new RecordHeaders(), "here")).isEmpty();
        assertThat(TraceHeaders.read(null, "here")).isEmpty();
    }

    @Test
    void aGarbageTraceparentHeaderIsIgnoredNotThrown() {
        var headers = new RecordHeaders();
        headers.add(TraceHeaders.TRACEPARENT, "not-a-trace".getBytes(StandardCharsets.UTF_8));
        assertThat(TraceHeaders.read(headers, "agent-result-2@41")).isEmpty();
        var binary = new RecordHeaders();
        binary.add(TraceHeaders.TRACEPARENT, new byte[] {(byte) 0xff, 0, 1, 2});
        assertThat(TraceHeaders.read(binary, "agent-result-2@42")).isEmpty();
        var huge = new RecordHeaders();
        huge.add(TraceHeaders.TRACEPARENT, new byte[1 << 20]);
        assertThat(TraceHeaders.read(huge, "agent-result-2@43")).isEmpty();
        var nullValue = new RecordHeaders();
        nullValue.add(TraceHeaders.TRACEPARENT, null);
        assertThat(TraceHeaders.read(nullValue, "agent-result-2@44")).isEmpty();
    }
}
