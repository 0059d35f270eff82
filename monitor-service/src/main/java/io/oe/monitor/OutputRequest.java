package io.oe.monitor;

/**
 * The numbers of an output request, read from text so that a bad one is a 400 naming it (JAX-RS would answer a
 * query parameter that is not a number with a bare 404).
 */
record OutputRequest(int phase, Integer attempt, long from, int limit, String problem) {
    static OutputRequest parse(String executionId, String phase, String attempt, String from, String limit) {
        try {
            int p = number("phase", phase, 1, Integer.MAX_VALUE).intValue();
            Integer a = attempt == null || attempt.isBlank() ? null : (Integer) number("attempt", attempt, 1, Integer.MAX_VALUE).intValue();
            long f = from == null || from.isBlank() ? 0 : number("from", from, 0, Long.MAX_VALUE);
            int l = limit == null || limit.isBlank() ? PhaseOutput.MAX_LIMIT
                    : number("limit", limit, 1, PhaseOutput.MAX_LIMIT).intValue();
            return new OutputRequest(p, a, f, l, null);
        } catch (IllegalArgumentException e) {
            return new OutputRequest(0, null, 0, 0, e.getMessage() + " (execution " + MarkdownText.oneLine(
                    executionId.length() > 80 ? executionId.substring(0, 80) + "…" : executionId) + ")");
        }
    }

    private static Long number(String name, String text, long min, long max) {
        long n;
        try {
            n = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + MarkdownText.oneLine(text.length() > 40 ? text.substring(0, 40)
                    + "…" : text) + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " " + n + " is out of range (" + (max == Long.MAX_VALUE
                    || max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max) + ")");
        }
        return n;
    }
}
