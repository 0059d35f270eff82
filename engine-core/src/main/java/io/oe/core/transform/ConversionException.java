package io.oe.core.transform;

/** An artifact that cannot be converted; the message names the line (and column) where the reader stopped. */
public final class ConversionException extends Exception {
    private final int line;
    private final String problem;

    ConversionException(int line, int column, String problem) {
        super((line > 0 ? "line " + line + (column > 0 ? ", column " + column : "") + ": " : "") + problem);
        this.line = line;
        this.problem = problem;
    }

    /** What is wrong, without the line. */
    public String problem() {
        return problem;
    }

    /** 1-based; 0 when the problem is the whole file. */
    public int line() {
        return line;
    }
}
