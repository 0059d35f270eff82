package io.oe.core.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The one sentence that refuses something too large, at every layer (the HTTP body limit, the intake's limits, the
 * topics' record limit, the JSON parser's limits, the CLI before it sends), so that a user reads the same words
 * wherever a size stops them: what, how big it is, and the limit, e.g. "the plan bundle is 21.5 MB (22,548,578
 * bytes); the limit is 16 MB (16,777,216 bytes)". Callers add where the limit is set and what to do.
 */
public final class TooLarge {
    private static final long KB = 1024;
    private static final long MB = 1024 * KB;

    /** What a size counts. Bytes are also shown in KB or MB (of 1,024), the way people read them. */
    public enum Unit {
        BYTES("byte", "bytes"), CHARACTERS("character", "characters"), DIGITS("digit", "digits"), LEVELS("level", "levels");

        private final String one;
        private final String many;

        Unit(String one, String many) {
            this.one = one;
            this.many = many;
        }
    }

    private TooLarge() {
    }

    /** "{what} is {size}; the limit is {limit}", both in bytes. */
    public static String sentence(String what, long bytes, long limitBytes) {
        return sentence(what, bytes, limitBytes, Unit.BYTES);
    }

    public static String sentence(String what, long size, long limit, Unit unit) {
        return what + " is " + amount(size, unit) + "; the limit is " + amount(limit, unit);
    }

    /** The same sentence when only a lower bound of the size is known (a parser stops at its limit). */
    public static String atLeast(String what, long size, long limit, Unit unit) {
        return what + " is at least " + amount(size, unit) + "; the limit is " + amount(limit, unit);
    }

    /** "16 MB (16,777,216 bytes)", "1.5 KB (1,536 bytes)", "512 bytes", "1,001 levels". */
    static String amount(long n, Unit unit) {
        String exact = String.format(Locale.ROOT, "%,d %s", n, n == 1 ? unit.one : unit.many);
        if (unit != Unit.BYTES || n < KB) {
            return exact;
        }
        return n < MB ? oneDecimal(n, KB) + " KB (" + exact + ")" : oneDecimal(n, MB) + " MB (" + exact + ")";
    }

    private static String oneDecimal(long n, long per) {
        return BigDecimal.valueOf(n).divide(BigDecimal.valueOf(per), 1, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }
}
