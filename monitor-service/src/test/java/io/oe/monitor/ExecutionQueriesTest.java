package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.EngineState;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A query about an execution is answered where it is: by its holder, from this instance's views, or not found. */
class ExecutionQueriesTest {
    private final FakeViews views = new FakeViews();
    private final ExecutionQueries queries = new ExecutionQueries(views, new Instances() {
        @Override
        Optional<String> ownerElsewhere(String executionId) {
            return Optional.ofNullable(Map.of("e-there", "http://monitor-2:18086").get(executionId));
        }
    });

    @Test
    void anExecutionAnotherInstanceHoldsIsAnsweredByThatInstance() {
        assertThat(queries.locate("e-there", false)).isEqualTo(new Located.Elsewhere("http://monitor-2:18086"));
    }

    @Test
    void anExecutionThisInstanceHoldsIsAnsweredFromItsViews() {
        EngineState s = Fixtures.state("e-here", "/p", "in_progress", 3, "{}");
        views.put(s);
        assertThat(queries.locate("e-here", false)).isEqualTo(new Located.Here(s));
    }

    @Test
    void anExecutionNoViewKnowsIsMissing() {
        assertThat(queries.locate("e-unknown", false)).isEqualTo(new Located.Missing());
    }

    @Test
    void aForwardedRequestIsAnsweredHereWhateverTheMetadataSaysSoItIsForwardedAtMostOnce() {
        assertThat(queries.locate("e-there", true)).isEqualTo(new Located.Missing());
    }

    @Test
    void eachCaseGivesItsOwnAnswer() {
        assertThat(new Located.Elsewhere("http://b").<String>fold(s -> "here", base -> "at " + base, () -> "missing"))
                .isEqualTo("at http://b");
        assertThat(new Located.Missing().<String>fold(s -> "here", base -> "at " + base, () -> "missing")).isEqualTo("missing");
    }
}
