package io.oe.monitor;

import io.oe.events.EngineState;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a query about one execution is answered ({@link ExecutionQueries#locate}): here, from this instance's views;
 * elsewhere, by the monitor instance that holds the execution's partition; or nowhere, since no view knows it.
 */
sealed interface Located permits Located.Here, Located.Elsewhere, Located.Missing {
    /** The answer of whichever case this is. */
    <T> T fold(Function<EngineState, T> here, Function<String, T> elsewhere, Supplier<T> missing);

    /** This instance's views hold the execution: its state as they have it. */
    record Here(EngineState state) implements Located {
        @Override
        public <T> T fold(Function<EngineState, T> here, Function<String, T> elsewhere, Supplier<T> missing) {
            return here.apply(state);
        }
    }

    /** Another instance holds it: its base URL, where the same request is answered. */
    record Elsewhere(String base) implements Located {
        @Override
        public <T> T fold(Function<EngineState, T> here, Function<String, T> elsewhere, Supplier<T> missing) {
            return elsewhere.apply(base);
        }
    }

    /** No view knows the execution (an unknown id, or one not yet projected). */
    record Missing() implements Located {
        @Override
        public <T> T fold(Function<EngineState, T> here, Function<String, T> elsewhere, Supplier<T> missing) {
            return missing.get();
        }
    }
}
