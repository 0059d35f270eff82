package io.oe.gateway;

import java.io.IOException;
import java.io.Reader;

/**
 * An agent's output line by line, with a bound: a line longer than {@code maxChars} comes in pieces, so an agent that
 * prints 50 MB without a newline costs the gateway {@code maxChars}, not 50 MB. A piece never ends inside a secret's
 * value (the reader looks that far ahead), so each piece is redacted as a whole line would be.
 */
final class LineReader {
    /** A line, or a piece of a longer one ({@code endsLine} false: more of the same line follows). */
    record Piece(String text, boolean endsLine) {
    }

    private final Reader in;
    private final int maxChars;
    private final Secrets secrets;
    private final int lookahead;
    private final StringBuilder buf = new StringBuilder();
    private final char[] read = new char[8192];
    private int scanned;
    private boolean eof;

    LineReader(Reader in, int maxChars, Secrets secrets) {
        this.in = in;
        this.maxChars = maxChars;
        this.secrets = secrets;
        this.lookahead = secrets.longest();
    }

    /** The next line (without its line break) or piece; null at the end. */
    Piece next() throws IOException {
        while (true) {
            int nl = indexOfNewline();
            if (nl >= 0 && nl <= maxChars) {
                String line = buf.substring(0, nl);
                buf.delete(0, nl + 1);
                scanned = 0;
                return new Piece(line, true);
            }
            // a piece once the bound is passed and what follows it is known far enough (to a line break, the end, or
            // the longest secret)
            if (buf.length() > maxChars && (nl >= 0 || eof || buf.length() >= maxChars + lookahead)) {
                int cut = cutOutsideSecrets(maxChars);
                String piece = buf.substring(0, cut);
                buf.delete(0, cut);
                scanned = 0;
                return new Piece(piece, false);
            }
            if (eof) {
                if (buf.isEmpty()) {
                    return null;
                }
                String rest = buf.toString();
                buf.setLength(0);
                return new Piece(rest, true);
            }
            int n = in.read(read);
            if (n < 0) {
                eof = true;
            } else {
                buf.append(read, 0, n);
            }
        }
    }

    private int indexOfNewline() {
        for (int i = scanned; i < buf.length(); i++) {
            if (buf.charAt(i) == '\n') {
                return i;
            }
        }
        scanned = buf.length();
        return -1;
    }

    /** {@code at}, moved back before any secret value that would be cut by it (and before a split surrogate pair). */
    private int cutOutsideSecrets(int at) {
        int cut = at;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (String value : secrets.valuesOnly()) {
                int from = Math.max(0, cut - value.length() + 1);
                int i = buf.indexOf(value, from);
                if (i >= 0 && i < cut && i + value.length() > cut && i > 0) {
                    cut = i;
                    moved = true;
                }
            }
        }
        if (cut > 0 && Character.isHighSurrogate(buf.charAt(cut - 1))) {
            cut--;
        }
        return Math.max(1, cut);
    }
}
