package io.oe.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.events.AgentOutput;
import io.oe.events.AttemptRecord;
import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A phase attempt's live output as {@code GET …/phases/{n}/output} and its stream give it: which attempt a request
 * means (the latest when it names none), and the chunks as JSON ({@link OutputChunkJson}, {@link OutputPageJson}).
 */
final class PhaseOutput {
    /** At most this many chunks a page. */
    static final int MAX_LIMIT = 1_000;

    private PhaseOutput() {
    }

    /** The attempt a request is about, and whether the engine state says it ended. */
    record Attempt(int number, boolean ended) {
    }

    /** The attempt, or why there is none: an unknown phase, a phase not run yet, an attempt it did not have. */
    static Result<Attempt> attempt(EngineState s, int phaseId, Integer wanted) {
        PhaseState phase = s.getPhases().get(String.valueOf(phaseId));
        if (phase == null) {
            return Result.no("execution " + s.getExecutionId() + " has no phase " + phaseId);
        }
        List<AttemptRecord> history = phase.getAttemptHistory();
        if (history.isEmpty()) {
            return Result.no("phase " + phaseId + " of execution " + s.getExecutionId() + " has not run yet: no attempt");
        }
        int number = wanted != null ? wanted : history.get(history.size() - 1).getNumber();
        Optional<AttemptRecord> record = history.stream().filter(a -> a.getNumber() == number).findFirst();
        if (record.isEmpty()) {
            return Result.no("phase " + phaseId + " of execution " + s.getExecutionId() + " has no attempt " + number
                    + " (its attempts: " + history.stream().map(a -> String.valueOf(a.getNumber()))
                    .collect(Collectors.joining(", ")) + ")");
        }
        // ended: it has an outcome, or a later attempt started (its own end may not have been recorded)
        boolean ended = record.get().getOutcome() != null || record.get().getEndedAt() != null
                || history.get(history.size() - 1).getNumber() > number;
        return Result.of(new Attempt(number, ended));
    }

    static ObjectNode chunk(AgentOutput o) {
        ObjectNode n = StateJson.MAPPER.createObjectNode();
        n.put("seq", o.getSeq());
        n.put("stream", o.getStream().name().toLowerCase(Locale.ROOT));
        n.put("text", o.getText());
        n.put("at", o.getAt().toString());
        n.put("cut", o.getCut());
        n.put("dropped_bytes", o.getDroppedBytes());
        n.put("last", o.getLast());
        return n;
    }

    static JsonNode page(String executionId, int phaseId, Attempt attempt, List<AgentOutput> chunks, long from) {
        ObjectNode n = StateJson.MAPPER.createObjectNode();
        n.put("execution_id", executionId);
        n.put("phase_id", phaseId);
        n.put("attempt", attempt.number());
        n.put("attempt_ended", attempt.ended());
        var array = n.putArray("chunks");
        chunks.forEach(c -> array.add(chunk(c)));
        n.put("next", chunks.isEmpty() ? from : chunks.get(chunks.size() - 1).getSeq() + 1);
        n.put("complete", chunks.stream().anyMatch(AgentOutput::getLast));
        return n;
    }

    /** A value or the reason there is none (a 404's message). */
    record Result<T>(T value, String problem) {
        static <T> Result<T> of(T value) {
            return new Result<>(value, null);
        }

        static <T> Result<T> no(String problem) {
            return new Result<>(null, problem);
        }
    }
}
