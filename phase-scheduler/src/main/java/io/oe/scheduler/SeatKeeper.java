package io.oe.scheduler;

import io.oe.core.limit.ConcurrencyLimits;
import io.oe.core.limit.SeatHolder;
import io.oe.core.limit.SeatLedger;
import io.oe.core.plan.PlanJson;
import io.oe.events.SeatGranted;
import io.oe.events.SeatRequest;
import io.oe.events.SeatRequestKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * The seat keeper: the thin Kafka shell around {@link SeatLedger}, one ledger per limit in the {@code seats} store.
 * {@code seat-requests} is keyed by limit, so one stream task owns each limit however many scheduler instances run,
 * and its ledger changes in the same exactly-once transaction as the grants it sends.
 *
 * <p>An attempt that needs several limits (its agent's and its profile's) takes them one after the other in the fixed
 * order of {@link ConcurrencyLimits#limitsOf} (agent, then profile): the keeper of a limit asks the next one for the
 * holder once it granted its own seat, and only the last one's grant reaches the scheduler. Holding the earlier limit
 * while waiting for a later one cannot deadlock, since every attempt waits in the same order (no cycle). A release
 * follows the same path (the scheduler sends it to the first limit, each keeper passes it on), so it always reaches a
 * limit after the request it withdraws: both were sent by the same task to the same partition.
 */
final class SeatKeeper implements Processor<String, SpecificRecord, String, SpecificRecord> {
    private static final Logger LOG = Logger.getLogger(SeatKeeper.class);

    private final ConcurrencyLimits limits;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> seats;

    SeatKeeper(ConcurrencyLimits limits) {
        this.limits = limits;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.seats = context.getStateStore(SchedulerTopology.SEATS_STORE);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (!(record.value() instanceof SeatRequest r) || r.getKind() == SeatRequestKind.UNKNOWN) {
            return; // undecodable (set aside by the deserialization handler) or a kind this reader does not know
        }
        String limit = r.getLimit();
        SeatLedger ledger = load(limit);
        SeatHolder holder = new SeatHolder(r.getExecutionId(), r.getPhaseId(), r.getAttempt());
        Integer cap = limits.capOf(limit).orElse(null);
        long now = System.currentTimeMillis();
        SeatLedger.Outcome out = r.getKind() == SeatRequestKind.REQUEST
                ? ledger.request(holder, r.getPriority(), r.getLimits(), cap)
                : ledger.release(holder, cap);
        save(limit, out.ledger());
        if (r.getKind() == SeatRequestKind.RELEASE) {
            SeatLedger.next(r.getLimits(), limit).ifPresent(next -> forward(next, EventMapping.seatRecord(
                    SeatRequestKind.RELEASE, next, r.getExecutionId(), r.getPhaseId(), r.getAttempt(), 0, r.getLimits(), now)));
        }
        for (SeatLedger.Grant g : out.granted()) {
            var next = SeatLedger.next(g.chain(), limit);
            if (next.isPresent()) { // the attempt needs the next limit too: ask it, in the fixed order
                forward(next.get(), EventMapping.seatRecord(SeatRequestKind.REQUEST, next.get(), g.holder().executionId(),
                        g.holder().phaseId(), g.holder().attempt(), g.priority(), g.chain(), now));
            } else {
                context.forward(new Record<String, SpecificRecord>(g.holder().executionId(), SeatGranted.newBuilder()
                        .setExecutionId(g.holder().executionId()).setPhaseId(g.holder().phaseId())
                        .setAttempt(g.holder().attempt()).setLimits(g.chain()).setAt(Instant.ofEpochMilli(now)).build(),
                        now), SchedulerTopology.SEAT_GRANTS_SINK);
            }
            LOG.infof("seat of limit %s granted to %s (%s)", limit, g.holder(), next.map(n -> "next: " + n)
                    .orElse("every seat it needs held"));
        }
        if (!out.granted().isEmpty() || r.getKind() == SeatRequestKind.RELEASE) {
            context.commit(); // a phase waits for this grant, or for the seat this release freed
        }
    }

    private void forward(String limit, SeatRequest request) {
        context.forward(new Record<String, SpecificRecord>(limit, request, request.getAt().toEpochMilli()),
                SchedulerTopology.KEEPER_SEAT_REQUESTS_SINK);
    }

    private SeatLedger load(String limit) {
        byte[] bytes = seats.get(limit);
        if (bytes == null) {
            return SeatLedger.empty(limit);
        }
        try {
            return PlanJson.MAPPER.readValue(bytes, SeatLedger.class);
        } catch (IOException e) {
            throw new UncheckedIOException("seat ledger of limit " + limit + " cannot be read", e);
        }
    }

    private void save(String limit, SeatLedger ledger) {
        if (ledger.idle()) {
            seats.delete(limit); // nothing held or waited for: the store keeps only limits in use
            return;
        }
        try {
            seats.put(limit, PlanJson.MAPPER.writeValueAsBytes(ledger));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
