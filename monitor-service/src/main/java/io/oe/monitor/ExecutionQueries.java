package io.oe.monitor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Finds where a query about one execution is answered, as the Quarkus Kafka Streams quickstart's
 * {@code InteractiveQueries} does: the instance that holds the execution's partition ({@link Instances}, from
 * Kafka Streams' metadata) if that is another one, else this instance's views. A request another instance
 * forwarded is answered here whatever the metadata says (during a rebalance it may name the sender), so a request is
 * forwarded at most once.
 */
@ApplicationScoped
public class ExecutionQueries {
    @Inject
    Views views;
    @Inject
    Instances instances;

    ExecutionQueries() {
    }

    ExecutionQueries(Views views, Instances instances) {
        this.views = views;
        this.instances = instances;
    }

    /** {@code forwarded}: the request came from another monitor instance. Views not queryable: they throw (503). */
    Located locate(String executionId, boolean forwarded) {
        Optional<String> owner = forwarded ? Optional.empty() : instances.ownerElsewhere(executionId);
        if (owner.isPresent()) {
            return new Located.Elsewhere(owner.get());
        }
        return views.state(executionId).<Located>map(Located.Here::new).orElseGet(Located.Missing::new);
    }
}
