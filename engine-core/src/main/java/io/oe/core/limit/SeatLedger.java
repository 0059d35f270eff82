package io.oe.core.limit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The seat keeper's record of one limit, as a pure value: who holds a seat and who waits, and the rule that grants
 * them. Seats are granted up to the cap; waiters go by priority (higher first), then in the order they asked (FIFO
 * within a priority). A request from a holder already holding or waiting, and a release from one that holds nothing,
 * change nothing: under exactly-once they do not happen, but a scheduler that asks again after a restart must not take
 * two seats. A release also withdraws a waiter, so a phase cancelled while it waits leaves no trace.
 *
 * <p>A waiter carries {@code chain}: every limit its attempt needs, this one among them, in the fixed order every
 * scheduler uses ({@link ConcurrencyLimits#limitsOf}); the keeper asks the one after this for it once this one grants
 * a seat ({@link #next}), and the last one's grant names them all.
 */
public record SeatLedger(String limit, List<SeatHolder> holders, List<Waiter> waiting, long nextSeq) {
    /** A request waiting for a seat: {@code seq} orders requests of one priority. */
    public record Waiter(SeatHolder holder, int priority, long seq, List<String> chain) {
        public Waiter {
            chain = chain == null ? List.of() : List.copyOf(chain);
        }
    }

    /** A seat given to {@code holder} (asking at {@code priority}), whose attempt needs every limit of {@code chain}. */
    public record Grant(SeatHolder holder, int priority, List<String> chain) {
    }

    /** The limit of {@code chain} after {@code limit}; empty when {@code limit} is its last (or not in it). */
    public static java.util.Optional<String> next(List<String> chain, String limit) {
        int i = chain.indexOf(limit);
        return i < 0 || i + 1 >= chain.size() ? java.util.Optional.empty() : java.util.Optional.of(chain.get(i + 1));
    }

    public record Outcome(SeatLedger ledger, List<Grant> granted) {
        public Outcome {
            granted = List.copyOf(granted);
        }
    }

    private static final Comparator<Waiter> ORDER = Comparator.comparingInt((Waiter w) -> -w.priority())
            .thenComparingLong(Waiter::seq);

    public SeatLedger {
        holders = List.copyOf(holders);
        waiting = List.copyOf(waiting);
    }

    public static SeatLedger empty(String limit) {
        return new SeatLedger(limit, List.of(), List.of(), 0);
    }

    /**
     * {@code holder} asks for a seat; {@code cap} is the limit's cap now (null: not capped any more, every seat granted);
     * {@code chain}: every limit its attempt needs, kept with it until the grant.
     */
    public Outcome request(SeatHolder holder, int priority, List<String> chain, Integer cap) {
        if (holders.contains(holder) || waiting.stream().anyMatch(w -> w.holder().equals(holder))) {
            return new Outcome(this, List.of());
        }
        List<Waiter> queue = new ArrayList<>(waiting);
        queue.add(new Waiter(holder, priority, nextSeq, chain));
        return new SeatLedger(limit, holders, queue, nextSeq + 1).fill(cap);
    }

    /** {@code holder}'s attempt ended (or no longer wants the seat): its seat, or its place in the queue, is freed. */
    public Outcome release(SeatHolder holder, Integer cap) {
        if (!holders.contains(holder) && waiting.stream().noneMatch(w -> w.holder().equals(holder))) {
            return new Outcome(this, List.of());
        }
        List<SeatHolder> held = new ArrayList<>(holders);
        held.remove(holder);
        List<Waiter> queue = new ArrayList<>(waiting);
        queue.removeIf(w -> w.holder().equals(holder));
        return new SeatLedger(limit, held, queue, nextSeq).fill(cap);
    }

    /** Grants seats to the first waiters while the cap allows (a lowered cap grants none until holders leave). */
    private Outcome fill(Integer cap) {
        List<Waiter> queue = new ArrayList<>(waiting);
        queue.sort(ORDER);
        List<SeatHolder> held = new ArrayList<>(holders);
        List<Grant> granted = new ArrayList<>();
        while (!queue.isEmpty() && (cap == null || held.size() < cap)) {
            Waiter next = queue.remove(0);
            held.add(next.holder());
            granted.add(new Grant(next.holder(), next.priority(), next.chain()));
        }
        return new Outcome(new SeatLedger(limit, held, queue, nextSeq), granted);
    }

    /** Whether nothing is held or waited for: the keeper drops such a ledger from its store. */
    public boolean idle() {
        return holders.isEmpty() && waiting.isEmpty();
    }
}
