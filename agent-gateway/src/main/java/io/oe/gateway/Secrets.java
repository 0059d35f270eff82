package io.oe.gateway;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The values of an agent's environment that must not leave it: an agent that prints its API key (a debug line, a
 * stack trace with its configuration) would otherwise put it in agent.log, the failure's output tail, the events and
 * the report. A variable is secret by its name (token, secret, password, key, credential, auth); its value is
 * replaced wherever it appears in the agent's output by {@code [NAME redacted]}.
 */
record Secrets(List<Map.Entry<String, String>> values) {
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(token|secret|passw(or)?d|passphrase|api_?key|access_?key|private_?key|_key$|credential|auth).*");
    /** Shorter values would redact ordinary words. */
    private static final int MIN_LENGTH = 6;

    static Secrets of(Map<String, String> env) {
        return new Secrets(env.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue().length() >= MIN_LENGTH && SECRET_NAME.matcher(e.getKey()).matches())
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed())
                .map(e -> Map.entry(e.getKey(), e.getValue())).toList());
    }

    /** The length of the longest secret value (0 without secrets): how far a reader must look ahead not to cut one. */
    int longest() {
        return values.stream().mapToInt(e -> e.getValue().length()).max().orElse(0);
    }

    List<String> valuesOnly() {
        return values.stream().map(Map.Entry::getValue).toList();
    }

    String redact(String text) {
        String out = text;
        for (Map.Entry<String, String> s : values) {
            if (out.contains(s.getValue())) {
                out = out.replace(s.getValue(), "[" + s.getKey() + " redacted]");
            }
        }
        return out;
    }
}
