package io.oe.monitor;

import io.oe.core.progress.ExpectedEnd;
import io.oe.events.EngineState;

/** When the execution of a state is expected to end: decided in engine-core ({@link ExpectedEnd}). */
final class Eta {
    private Eta() {
    }

    static ExpectedEnd of(EngineState s) {
        return ProgressMapping.progress(s).eta();
    }
}
