package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import io.oe.deploy.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces on the separate stack (each service its own process, as {@code oe up --services separate} runs them), with
 * the one setting, {@code OE_OTLP_ENDPOINT}, pointing every service at an OTLP receiver this test runs: one execution's
 * spans, sent by six processes, must form one tree (docs/architecture.md, "Traces"): execution → phase → attempt →
 * agent run and handoff validation; the projector's folds under the span their event belongs to; the monitor's file
 * writes under the fold of the state they write, the final report's rendering under the last write; and each agent
 * must have been handed its agent-run span, in the execution's trace, as TRACEPARENT.
 */
class SeparateStackTracesIT {
    static OtlpReceiver receiver;
    static E2eStack env;

    @BeforeAll
    static void startStack() {
        receiver = OtlpReceiver.start();
        env = E2eStack.start("SeparateStackTracesIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> {
            Path runners = new TestRunners().script("traced", root.resolve("traced.sh"), """
                    #!/bin/sh
                    # the phase's output holds the trace context the gateway handed the agent
                    printf '{"traceparent": "%s"}' "$TRACEPARENT" > "$OE_OUTPUTS_DIR/phase-$OE_PHASE_ID.json"
                    """).agent("*", "traced").write(root.resolve("runners.json"));
            options.runnersFile(runners)
                    .env("OE_OTLP_ENDPOINT", receiver.endpoint())
                    // the receiver speaks OTLP over HTTP (the JDK's server has no HTTP/2 for gRPC), and a test waits
                    // for spans: the batch goes out every 100 ms instead of 5 s
                    .env("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf")
                    .env("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
        });
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneExecutionsSpansFromEveryServiceFormOneTreeAndEachAgentRanUnderItsAttempt() throws Exception {
        TestProject p = new TestProject(env.root, "traced").tier("all", "sequential", 1, 2);
        p.phase(1, "@writer").putArray("outputs").addObject().put("artifact", "phase-1.json");
        var second = p.phase(2, "@reviewer");
        second.putArray("inputs").addObject().put("artifact", "phase-1.json").put("from", 1);
        second.putArray("outputs").addObject().put("artifact", "phase-2.json");
        String id = p.submit(env.api());
        await(env.api(), id, execution("completed"), Duration.ofSeconds(120), "completion");
        List<OtlpReceiver.Span> trace = awaitTrace(id);
        String traceId = trace.get(0).traceId();

        Map<String, OtlpReceiver.Span> byId = trace.stream()
                .collect(Collectors.toMap(OtlpReceiver.Span::spanId, Function.identity(), (a, b) -> {
                    throw new AssertionError("span " + a.spanId() + " sent twice: " + a + ", " + b);
                }));
        OtlpReceiver.Span root = only(trace, "execution", null);
        assertThat(root.service()).isEqualTo("phase-scheduler");
        assertThat(root.parentSpanId()).as("the root").isEmpty();
        // one tree: every other span's parent is in the trace
        assertThat(trace).filteredOn(s -> s != root).allSatisfy(s -> assertThat(byId).as("parent of %s", s)
                .containsKey(s.parentSpanId()));

        for (int phase = 1; phase <= 2; phase++) {
            OtlpReceiver.Span ph = only(trace, "phase", phase);
            assertThat(ph.parentSpanId()).isEqualTo(root.spanId());
            OtlpReceiver.Span attempt = only(trace, "attempt", phase);
            assertThat(attempt.parentSpanId()).isEqualTo(ph.spanId());
            OtlpReceiver.Span run = only(trace, "agent run", phase);
            assertThat(run.service()).isEqualTo("agent-gateway");
            assertThat(run.parentSpanId()).isEqualTo(attempt.spanId());
            OtlpReceiver.Span handoff = only(trace, "handoff validation", phase);
            assertThat(handoff.service()).isEqualTo("handoff-service");
            assertThat(handoff.parentSpanId()).isEqualTo(attempt.spanId());
            // the agent process saw its agent-run span, in the execution's trace
            String output = Files.readString(p.dir.resolve("tee-output/workspaces/" + id + "/" + phase + "/1/outputs/phase-"
                    + phase + ".json"));
            assertThat(output).contains("\"traceparent\": \"00-" + traceId + "-" + run.spanId() + "-01\"");
            // the projector folded the attempt's result and its handoff under the attempt, the phase's transitions under it
            assertThat(children(trace, attempt, "state fold")).extracting(s -> s.attribute("oe.log_type"))
                    .contains("agent_result", "handoff_validated");
            assertThat(children(trace, ph, "state fold")).extracting(s -> s.attribute("oe.log_type"))
                    .contains("phase_ready", "phase_completed");
        }
        List<OtlpReceiver.Span> folds = trace.stream().filter(s -> s.name().equals("state fold")).toList();
        assertThat(folds).allSatisfy(f -> assertThat(f.service()).isEqualTo("state-projector"));
        OtlpReceiver.Span completed = folds.stream().filter(f -> "execution_completed".equals(f.attribute("oe.log_type")))
                .findFirst().orElseThrow(() -> new AssertionError("no fold of the execution's end: " + folds));
        assertThat(completed.parentSpanId()).isEqualTo(root.spanId());
        // the monitor wrote each state's files under the fold that made it (or the execution, before any it knew)
        List<OtlpReceiver.Span> writes = trace.stream().filter(s -> s.name().equals("state write")).toList();
        assertThat(writes).isNotEmpty().allSatisfy(w -> {
            assertThat(w.service()).isEqualTo("monitor-service");
            assertThat(byId.get(w.parentSpanId()).name()).isIn("state fold", "execution");
        });
        OtlpReceiver.Span report = trace.stream().filter(s -> s.name().equals("report render")).findFirst().orElseThrow();
        OtlpReceiver.Span lastWrite = byId.get(report.parentSpanId());
        assertThat(lastWrite.name()).isEqualTo("state write");
        assertThat(lastWrite.parentSpanId()).as("the final files come from the fold of the execution's end")
                .isEqualTo(completed.spanId());

        // the plan-loader's span is in the caller's trace and leads to the execution's: every service sent its part
        OtlpReceiver.Span submitted = receiver.spans().stream().filter(s -> s.name().equals("plan submitted")
                && s.linkedSpanIds().contains(root.spanId())).findFirst().orElseThrow();
        assertThat(submitted.service()).isEqualTo("plan-loader");
        Set<String> services = trace.stream().map(OtlpReceiver.Span::service).collect(Collectors.toSet());
        services.add(submitted.service());
        assertThat(services).containsExactlyInAnyOrderElementsOf(LocalStack.SERVICES.keySet());
        assertThat(receiver.problems()).isEmpty();
    }

    /**
     * The execution's trace (the spans with its execution span's trace id) once the execution's span and the final
     * report's rendering have come, and a moment more for the last batches.
     */
    private static List<OtlpReceiver.Span> awaitTrace(String executionId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var root = receiver.spans().stream().filter(s -> s.name().equals("execution")
                    && executionId.equals(s.attribute("oe.execution_id"))).findFirst();
            if (root.isPresent() && receiver.spans().stream().anyMatch(s -> s.traceId().equals(root.get().traceId())
                    && s.name().equals("report render"))) {
                Thread.sleep(1_000); // every process exports every 100 ms
                List<OtlpReceiver.Span> trace = new ArrayList<>(receiver.spans().stream()
                        .filter(s -> s.traceId().equals(root.get().traceId())).toList());
                trace.sort(Comparator.comparing(s -> !s.name().equals("execution"))); // the root first
                return trace;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no execution span and report rendering within 60 s; received: " + receiver.spans()
                .stream().map(s -> s.service() + " " + s.name()).toList() + "; problems: " + receiver.problems());
    }

    private static OtlpReceiver.Span only(List<OtlpReceiver.Span> trace, String name, Integer phase) {
        List<OtlpReceiver.Span> found = trace.stream().filter(s -> s.name().equals(name))
                .filter(s -> phase == null || Long.valueOf(phase).equals(s.attribute("oe.phase_id"))).toList();
        assertThat(found).as("%s spans%s", name, phase == null ? "" : " of phase " + phase).hasSize(1);
        return found.get(0);
    }

    private static List<OtlpReceiver.Span> children(List<OtlpReceiver.Span> trace, OtlpReceiver.Span parent, String name) {
        return trace.stream().filter(s -> s.name().equals(name) && s.parentSpanId().equals(parent.spanId())).toList();
    }
}
