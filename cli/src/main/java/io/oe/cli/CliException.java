package io.oe.cli;

/** A failure the CLI reports as one line (plus optional detail lines) with an exit code. */
public class CliException extends RuntimeException {
    public static final int FAILED = 1;
    public static final int REJECTED = 2;
    /** The execution followed waits for a person (oe wait, --wait): neither ended nor failed. */
    public static final int WAITING = 3;

    private final int exitCode;

    public CliException(String message) {
        this(message, FAILED);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
