package io.oe.core.contract;

/** One way an artifact breaks its contract: where (JSON pointer), which rule (keyword), and the message. */
public record ContractViolation(String artifact, String pointer, String rule, String message) {
    @Override
    public String toString() {
        return artifact + " " + (pointer.isEmpty() ? "/" : pointer) + ": " + message + (rule.isEmpty() ? "" : " (" + rule + ")");
    }
}
