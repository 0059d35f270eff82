package io.oe.monitor;

import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why a phase that has not started is not running yet, in one of a few kinds a reader can act on: the phases it
 * waits for (and their status), a person (approval, intervention), a paused execution, a retry's backoff, a free
 * concurrency slot, or an agent to pick it up. Derived from the state alone (the scheduler's rule, read backwards).
 */
record WaitingFor(String kind, List<Integer> phases, String text) {

    /** What holds the execution's concurrency slots, worked out once per state rather than once per waiting phase. */
    private record Slots(int max, long active) {
    }

    /** Every phase that waits, by id: the state is rendered on every event of the execution. */
    static Map<Integer, WaitingFor> all(EngineState s) {
        Slots slots = new Slots(io.oe.core.plan.PlanJson.config(StateJson.config(s)).maxConcurrentPhases(),
                s.getPhases().values().stream()
                        .filter(q -> "ready".equals(q.getStatus()) || "in_progress".equals(q.getStatus())).count());
        Map<Integer, WaitingFor> out = new HashMap<>();
        for (PhaseState p : s.getPhases().values()) {
            of(s, p, slots).ifPresent(w -> out.put(p.getId(), w));
        }
        return out;
    }

    private static Optional<WaitingFor> of(EngineState s, PhaseState p, Slots slots) {
        return switch (p.getStatus()) {
            case "waiting_for_approval" -> Optional.of(new WaitingFor("approval", List.of(),
                    "approval by a person (oe approve --phase " + p.getId() + ")"));
            case "waiting_for_intervention" -> Optional.of(new WaitingFor("intervention", List.of(),
                    "a person to retry or skip it (oe retry / oe skip --phase " + p.getId() + ")"));
            case "ready" -> Optional.of(new WaitingFor("agent", List.of(), "an agent gateway to start attempt "
                    + Math.max(1, p.getAttempts())));
            case "pending" -> Optional.of(pending(s, p, slots));
            default -> Optional.empty();
        };
    }

    private static WaitingFor pending(EngineState s, PhaseState p, Slots slots) {
        List<PhaseState> open = p.getPrerequisites().stream().map(id -> s.getPhases().get(String.valueOf(id)))
                .filter(q -> q != null && !"completed".equals(q.getStatus()) && !"skipped".equals(q.getStatus())).toList();
        if (!open.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (PhaseState q : open) {
                text.append(text.isEmpty() ? "" : ", ").append("phase ").append(q.getId()).append(' ').append(q.getName())
                        .append(" (").append(q.getStatus().replace('_', ' ')).append(')');
            }
            return new WaitingFor("dependency", open.stream().map(PhaseState::getId).toList(), text.toString());
        }
        if ("paused".equals(s.getStatus())) {
            return new WaitingFor("paused", List.of(), "the execution to be resumed (oe resume)");
        }
        if (p.getReason() != null && p.getReason().startsWith("retry")) {
            return new WaitingFor("retry", List.of(), p.getReason());
        }
        if ("initialized".equals(s.getStatus())) {
            return new WaitingFor("start", List.of(), "the execution to be started (oe start)");
        }
        if (slots.max() > 0 && slots.active() >= slots.max()) {
            return new WaitingFor("slot", List.of(), "a free slot: " + slots.active() + " of max_concurrent_phases "
                    + slots.max() + " are running");
        }
        return new WaitingFor("scheduler", List.of(), "the scheduler to dispatch it (its prerequisites have ended)");
    }
}
