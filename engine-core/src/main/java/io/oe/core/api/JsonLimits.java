package io.oe.core.api;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON document the parser refused under its {@code StreamReadConstraints} (a string, number or name too long,
 * nesting too deep) is too large, not malformed: this says so in the sentence of {@link TooLarge}. Jackson gives
 * the figures only in its message, hence the pattern; a message it does not match is passed on as it is.
 */
public final class JsonLimits {
    private static final Pattern MESSAGE = Pattern.compile(
            "^(String value length|Number value length|Name length|Document nesting depth|Document length) \\((\\d+)\\)"
                    + " exceeds the maximum (?:allowed|length) \\((\\d+)");

    private JsonLimits() {
    }

    /** @param document what was parsed, as the sentence names it ("the plan bundle") */
    public static String sentence(String document, StreamConstraintsException e) {
        Matcher m = MESSAGE.matcher(e.getOriginalMessage() == null ? "" : e.getOriginalMessage());
        if (!m.find()) {
            return document + " is beyond the JSON parser's limits: " + e.getOriginalMessage();
        }
        long size = Long.parseLong(m.group(2));
        long limit = Long.parseLong(m.group(3));
        return switch (m.group(1)) {
            case "String value length" -> TooLarge.sentence("a string in " + document, size, limit, TooLarge.Unit.CHARACTERS);
            case "Number value length" -> TooLarge.sentence("a number in " + document, size, limit, TooLarge.Unit.DIGITS);
            case "Name length" -> TooLarge.sentence("a property name in " + document, size, limit, TooLarge.Unit.CHARACTERS);
            // the parser stops one level past its limit: the real depth may be far greater
            case "Document nesting depth" -> TooLarge.atLeast("the nesting depth of " + document, size, limit,
                    TooLarge.Unit.LEVELS);
            default -> TooLarge.sentence(document, size, limit, TooLarge.Unit.CHARACTERS);
        };
    }
}
