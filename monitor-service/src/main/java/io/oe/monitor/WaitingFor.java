package io.oe.monitor;

import io.oe.core.progress.WaitingReason;
import io.oe.events.EngineState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A phase's {@code waiting_for} as the state renders it: the kind as the state names it, the phases it names and the
 * text the dashboard and {@code oe watch} show after "waits for". Decided in engine-core ({@link WaitingReason}).
 */
record WaitingFor(String kind, List<Integer> phases, String text) {

    static WaitingFor of(WaitingReason r) {
        return new WaitingFor(r.kind().json(), r.phases(), r.text());
    }

    /** Every phase of the state that waits, by id. */
    static Map<Integer, WaitingFor> all(EngineState s) {
        Map<Integer, WaitingFor> out = new HashMap<>();
        ProgressMapping.progress(s).waiting().forEach((id, r) -> out.put(id, of(r)));
        return out;
    }
}
