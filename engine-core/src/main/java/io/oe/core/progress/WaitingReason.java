package io.oe.core.progress;

import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.core.scheduler.TransitionCause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Why a phase that has not started is not running yet, in one of a few kinds a reader can act on: the phases it
 * waits for (and their status), a person (approval, review of its outputs, intervention), a paused execution, a
 * retry's backoff, a free concurrency slot, a seat of a limit across executions, or an agent to pick it up. Decided from the view alone: the phase's status
 * and the typed cause of its last transition, never the words of its reason. The kinds and their words are written
 * here only: the dashboard and {@code oe watch} show {@link #text()} after "waits for", and docs/architecture.md
 * ("What readers see") lists the same kinds (a test keeps them alike).
 */
public record WaitingReason(Kind kind, List<Integer> phases, String text) {

    /** The kinds, as the state's {@code waiting_for.kind} names them. */
    public enum Kind {
        DEPENDENCY, APPROVAL, REVIEW, INTERVENTION, PAUSED, RETRY, START, SLOT, LIMIT, AGENT, SCHEDULER;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Only a person can end this wait (the ETA then has no end). */
        public boolean waitsForPerson() {
            return this == APPROVAL || this == REVIEW || this == INTERVENTION;
        }
    }

    public WaitingReason {
        phases = List.copyOf(phases);
    }

    /** Every phase that waits, by id. */
    public static Map<Integer, WaitingReason> all(ExecutionView s) {
        int max = s.maxConcurrentPhases();
        long active = s.phases().values().stream().filter(q -> q.status().isActive()).count();
        Map<Integer, WaitingReason> out = new HashMap<>();
        List<PhaseView> free = new ArrayList<>();
        for (PhaseView p : s.phases().values()) {
            Optional<WaitingReason> w = of(s, p);
            if (w.isPresent()) {
                out.put(p.id(), w.get());
            } else if (p.status() == PhaseStatus.PENDING) {
                free.add(p);
            }
        }
        // Free to go: the scheduler gives the free slots in plan order (by id here), so only the first of them wait for
        // the scheduler itself; the rest wait for a slot, even while the scheduler has not filled the free ones yet.
        free.sort(Comparator.comparingInt(PhaseView::id));
        long slots = Math.max(0, max - active);
        for (int i = 0; i < free.size(); i++) {
            out.put(free.get(i).id(), i < slots
                    ? new WaitingReason(Kind.SCHEDULER, List.of(),
                            "the scheduler to dispatch it (its prerequisites have ended and a slot is free)")
                    : new WaitingReason(Kind.SLOT, List.of(), "a free slot: " + active + " of max_concurrent_phases "
                            + max + " are running" + (slots == 0 ? "" : " and " + slots + " more "
                            + (slots == 1 ? "is" : "are") + " about to start")));
        }
        return out;
    }

    /** Why the phase waits, unless it is pending and free to go (then: a slot or the scheduler, see {@link #all}). */
    private static Optional<WaitingReason> of(ExecutionView s, PhaseView p) {
        return switch (p.status()) {
            case WAITING_FOR_APPROVAL -> Optional.of(new WaitingReason(Kind.APPROVAL, List.of(),
                    "approval by a person (oe approve --phase " + p.id() + ")"));
            case WAITING_FOR_REVIEW -> Optional.of(new WaitingReason(Kind.REVIEW, List.of(),
                    "a person to review its outputs (oe review --phase " + p.id() + " --approve | --reject | --replace)"));
            case WAITING_FOR_INTERVENTION -> Optional.of(new WaitingReason(Kind.INTERVENTION, List.of(),
                    "a person to retry or skip it (oe retry / oe skip --phase " + p.id() + ")"));
            case READY -> Optional.of(new WaitingReason(Kind.AGENT, List.of(), "an agent gateway to start attempt "
                    + Math.max(1, p.attempts())));
            case PENDING -> pending(s, p);
            default -> Optional.empty();
        };
    }

    private static Optional<WaitingReason> pending(ExecutionView s, PhaseView p) {
        List<PhaseView> open = p.prerequisites().stream().map(id -> s.phases().get(id))
                .filter(q -> q != null && !q.status().isResolved()).toList();
        if (!open.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (PhaseView q : open) {
                text.append(text.isEmpty() ? "" : ", ").append("phase ").append(q.id()).append(' ').append(q.name())
                        .append(" (").append(q.status().json().replace('_', ' ')).append(')');
            }
            return Optional.of(new WaitingReason(Kind.DEPENDENCY, open.stream().map(PhaseView::id).toList(),
                    text.toString()));
        }
        if (s.status() == ExecutionStatus.PAUSED) {
            return Optional.of(new WaitingReason(Kind.PAUSED, List.of(), "the execution to be resumed (oe resume)"));
        }
        if (p.cause() == TransitionCause.BACKOFF) { // the scheduler's reason says when, in words
            return Optional.of(new WaitingReason(Kind.RETRY, List.of(), p.reason()));
        }
        if (p.cause() == TransitionCause.LIMIT) { // the scheduler's reason names the limits: "waits for a seat: limit …"
            String why = p.reason() == null ? "a seat of a limit across executions" : p.reason();
            return Optional.of(new WaitingReason(Kind.LIMIT, List.of(), why.startsWith("waits for ")
                    ? why.substring("waits for ".length()) : why));
        }
        if (s.status() == ExecutionStatus.INITIALIZED) {
            return Optional.of(new WaitingReason(Kind.START, List.of(), "the execution to be started (oe execute)"));
        }
        return Optional.empty();
    }
}
