package io.oe.core.plan;

/** One thing wrong with a submitted bundle: where (file and JSON pointer, or phase) and what. */
public record Violation(String where, String message) {
    @Override
    public String toString() {
        return where + ": " + message;
    }
}
