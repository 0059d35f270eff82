package io.oe.core.contract;

/** One way an artifact breaks its contract: where (JSON pointer), which rule (keyword), and the message. */
public record ContractViolation(String artifact, String pointer, String rule, String message) {
    /** "artifact /pointer: message (rule)": how every service words a violation (a handoff's, a review's, a retry's). */
    @Override
    public String toString() {
        return describe(artifact, pointer, rule, message);
    }

    /** The words of {@link #toString}, for a violation carried in another shape (the Avro event's). */
    public static String describe(String artifact, String pointer, String rule, String message) {
        return place(artifact, pointer) + ": " + withRule(message, rule);
    }

    /** Where: the artifact and the pointer into it, the whole document ({@code /}) when the pointer is empty. */
    public static String place(String artifact, String pointer) {
        return artifact + " " + (pointer == null || pointer.isEmpty() ? "/" : pointer);
    }

    /** What: the message, and the rule (the schema keyword) that says it, when there is one. */
    public static String withRule(String message, String rule) {
        return message + (rule == null || rule.isEmpty() ? "" : " (" + rule + ")");
    }
}
