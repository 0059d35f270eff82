package io.oe.monitor;

import io.oe.core.plan.PlanJson;
import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Why a phase that has not started is not running yet, in one of a few kinds a reader can act on: the phases it
 * waits for (and their status), a person (approval, review of its outputs, intervention), a paused execution, a retry's backoff, a free
 * concurrency slot, or an agent to pick it up. Derived from the state alone (the scheduler's rule, read backwards).
 * The kinds and their words are written here only: the dashboard and {@code oe watch} show {@link #text()} after
 * "waits for", and docs/architecture.md ("What readers see") lists the same kinds (a test keeps them alike).
 */
record WaitingFor(String kind, List<Integer> phases, String text) {

    /** The kinds, as the state's {@code waiting_for.kind} names them. */
    enum Kind {
        DEPENDENCY, APPROVAL, REVIEW, INTERVENTION, PAUSED, RETRY, START, SLOT, AGENT, SCHEDULER;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Every phase that waits, by id: the state is rendered on every event of the execution. */
    static Map<Integer, WaitingFor> all(EngineState s) {
        int max = PlanJson.config(StateJson.config(s)).maxConcurrentPhases();
        long active = s.getPhases().values().stream()
                .filter(q -> "ready".equals(q.getStatus()) || "in_progress".equals(q.getStatus())).count();
        Map<Integer, WaitingFor> out = new HashMap<>();
        List<PhaseState> free = new ArrayList<>();
        for (PhaseState p : s.getPhases().values()) {
            Optional<WaitingFor> w = of(s, p);
            if (w.isPresent()) {
                out.put(p.getId(), w.get());
            } else if ("pending".equals(p.getStatus())) {
                free.add(p);
            }
        }
        // Free to go: the scheduler gives the free slots in plan order (by id here), so only the first of them wait for
        // the scheduler itself; the rest wait for a slot, even while the scheduler has not filled the free ones yet.
        free.sort(Comparator.comparingInt(PhaseState::getId));
        long slots = Math.max(0, max - active);
        for (int i = 0; i < free.size(); i++) {
            out.put(free.get(i).getId(), i < slots
                    ? new WaitingFor(Kind.SCHEDULER.json(), List.of(),
                            "the scheduler to dispatch it (its prerequisites have ended and a slot is free)")
                    : new WaitingFor(Kind.SLOT.json(), List.of(), "a free slot: " + active + " of max_concurrent_phases "
                            + max + " are running" + (slots == 0 ? "" : " and " + slots + " more "
                            + (slots == 1 ? "is" : "are") + " about to start")));
        }
        return out;
    }

    /** Why the phase waits, unless it is pending and free to go (then: a slot or the scheduler, see {@link #all}). */
    private static Optional<WaitingFor> of(EngineState s, PhaseState p) {
        return switch (p.getStatus()) {
            case "waiting_for_approval" -> Optional.of(new WaitingFor(Kind.APPROVAL.json(), List.of(),
                    "approval by a person (oe approve --phase " + p.getId() + ")"));
            case "waiting_for_review" -> Optional.of(new WaitingFor(Kind.REVIEW.json(), List.of(),
                    "a person to review its outputs (oe review --phase " + p.getId() + " --approve | --reject | --replace)"));
            case "waiting_for_intervention" -> Optional.of(new WaitingFor(Kind.INTERVENTION.json(), List.of(),
                    "a person to retry or skip it (oe retry / oe skip --phase " + p.getId() + ")"));
            case "ready" -> Optional.of(new WaitingFor(Kind.AGENT.json(), List.of(), "an agent gateway to start attempt "
                    + Math.max(1, p.getAttempts())));
            case "pending" -> pending(s, p);
            default -> Optional.empty();
        };
    }

    private static Optional<WaitingFor> pending(EngineState s, PhaseState p) {
        List<PhaseState> open = p.getPrerequisites().stream().map(id -> s.getPhases().get(String.valueOf(id)))
                .filter(q -> q != null && !"completed".equals(q.getStatus()) && !"skipped".equals(q.getStatus())).toList();
        if (!open.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (PhaseState q : open) {
                text.append(text.isEmpty() ? "" : ", ").append("phase ").append(q.getId()).append(' ').append(q.getName())
                        .append(" (").append(q.getStatus().replace('_', ' ')).append(')');
            }
            return Optional.of(new WaitingFor(Kind.DEPENDENCY.json(), open.stream().map(PhaseState::getId).toList(),
                    text.toString()));
        }
        if ("paused".equals(s.getStatus())) {
            return Optional.of(new WaitingFor(Kind.PAUSED.json(), List.of(), "the execution to be resumed (oe resume)"));
        }
        if (p.getReason() != null && p.getReason().startsWith("retry")) {
            return Optional.of(new WaitingFor(Kind.RETRY.json(), List.of(), p.getReason()));
        }
        if ("initialized".equals(s.getStatus())) {
            return Optional.of(new WaitingFor(Kind.START.json(), List.of(), "the execution to be started (oe execute)"));
        }
        return Optional.empty();
    }
}
