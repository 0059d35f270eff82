package io.oe.core.scheduler;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reading a status enum from its written form (lower case, as events and states carry it; any case is read), with an
 * error that says what was wrong.
 */
public final class Statuses {
    private Statuses() {
    }

    /**
     * The constant whose lower-case name is {@code text}; an unknown or missing text is an {@link IllegalArgumentException}
     * that names it, what it is a status of ({@code what}: "phase", "task", ...) and the statuses there are.
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String what, String text) {
        return find(type, text).orElseThrow(() -> new IllegalArgumentException("unknown " + what + " status "
                + (text == null ? "null" : "\"" + text + "\"") + ": expected one of " + Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))));
    }

    /** The constant whose lower-case name is {@code text}; empty for an unknown or missing text. */
    public static <E extends Enum<E>> Optional<E> find(Class<E> type, String text) {
        if (text != null) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(text)) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }
}
