package io.oe.core.limit;

/** Who holds or waits for a seat: one attempt of one phase of one execution. */
public record SeatHolder(String executionId, int phaseId, int attempt) {
    @Override
    public String toString() {
        return executionId + "/" + phaseId + "#" + attempt;
    }
}
