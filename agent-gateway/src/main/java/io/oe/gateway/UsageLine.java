package io.oe.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The usage protocol (docs/agents.md): {@code ::usage input=N output=N cached=N model=NAME cost=USD::}, what an agent
 * used since its previous report, as often as it likes. Every key is optional but one token count must be there;
 * {@code input} counts the input tokens not read from a cache, {@code cached} those read from one. A report that
 * breaks a rule (malformed, negative, absurd) is refused whole, never half-counted, and {@link #problem} says why and
 * where. The same rules apply to the HTTP runner's {@code usage} answer ({@link #fromFields}).
 */
record UsageLine(Report report, String problem) {
    /** One accepted report; {@code model} and {@code costUsd} may be null (not given). */
    record Report(String model, long input, long output, long cached, Double costUsd) {
    }

    /** More tokens than this in one report is a lie or a bug: no model's context is within orders of magnitude. */
    static final long MAX_TOKENS = 100_000_000L;
    /** A cost above this in one report is as absurd. */
    static final double MAX_COST_USD = 10_000;
    static final List<String> KEYS = List.of("input", "output", "cached", "model", "cost");
    private static final Pattern USAGE = Pattern.compile("^::usage(\\s.*)?::$");
    private static final Pattern WHOLE = Pattern.compile("\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,12}(\\.\\d{1,12})?");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/@+-]{0,99}");

    /** A stripped stdout line: empty when it is not a usage line, else the report or why it was refused. */
    static Optional<UsageLine> parse(String line) {
        if (!line.startsWith("::usage")) {
            return Optional.empty();
        }
        String where = "usage line \"" + shown(line, 120) + "\"";
        if (!USAGE.matcher(line).matches()) {
            return line.equals("::usage") || line.startsWith("::usage ") || line.startsWith("::usage::")
                    ? Optional.of(refused(where, "it must read ::usage key=value ...:: on one line"))
                    : Optional.empty(); // ::usagesomething: not ours
        }
        String body = line.substring("::usage".length(), line.length() - 2).strip();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.isEmpty() ? new String[0] : body.split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return Optional.of(refused(where, "'" + shown(pair, 40) + "' is not key=value"));
            }
            String key = pair.substring(0, eq);
            if (fields.put(key, pair.substring(eq + 1)) != null) {
                return Optional.of(refused(where, "it gives " + shown(key, 40) + " twice"));
            }
        }
        return Optional.of(fromFields(fields, where));
    }

    /** The rules, for a report given as key → value text; {@code where} names the report in a refusal. */
    static UsageLine fromFields(Map<String, String> fields, String where) {
        for (String key : fields.keySet()) {
            if (!KEYS.contains(key)) {
                return refused(where, "unknown key '" + shown(key, 40) + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        if (!fields.containsKey("input") && !fields.containsKey("output") && !fields.containsKey("cached")) {
            return refused(where, "it names no token count (input, output or cached)");
        }
        long[] counts = new long[3];
        List<String> countKeys = List.of("input", "output", "cached");
        for (int i = 0; i < 3; i++) {
            String key = countKeys.get(i);
            String v = fields.get(key);
            if (v == null) {
                continue;
            }
            if (v.startsWith("-")) {
                return refused(where, key + "=" + shown(v, 40) + " is negative");
            }
            if (!WHOLE.matcher(v).matches()) {
                return refused(where, key + "=" + shown(v, 40) + " is not a whole number of tokens");
            }
            counts[i] = Long.parseLong(v);
            if (counts[i] > MAX_TOKENS) {
                return refused(where, key + "=" + v + " is absurd: more than " + MAX_TOKENS + " tokens in one report");
            }
        }
        Double cost = null;
        String c = fields.get("cost");
        if (c != null) {
            if (c.startsWith("-")) {
                return refused(where, "cost=" + shown(c, 40) + " is negative");
            }
            if (!DECIMAL.matcher(c).matches()) {
                return refused(where, "cost=" + shown(c, 40) + " is not a number of US dollars (e.g. 0.0123)");
            }
            cost = Double.parseDouble(c);
            if (cost > MAX_COST_USD) {
                return refused(where, "cost=" + c + " is absurd: more than " + (long) MAX_COST_USD + " US dollars in one report");
            }
        }
        String model = fields.get("model");
        if (model != null && !MODEL.matcher(model).matches()) {
            return refused(where, "model=" + shown(model, 40) + " is not a model name (letters, digits and _.:/@+-, at most 100)");
        }
        return new UsageLine(new Report(model, counts[0], counts[1], counts[2], cost), null);
    }

    static UsageLine refused(String where, String why) {
        return new UsageLine(null, where + " refused: " + why);
    }

    /** Agent text as it may appear in a message: printable and short. */
    private static String shown(String text, int max) {
        String s = ProgressLine.sanitize(text);
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
