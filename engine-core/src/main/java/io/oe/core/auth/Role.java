package io.oe.core.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an identity may do, each role including the ones before it: a reader reads, an operator also commands. */
public enum Role {
    /** Reads executions: state, log, handoffs, reports, artifacts, live output. */
    READER,
    /** Also submits plans and commands executions (retry, skip, cancel, pause, resume, approve, rerun, review, budget). */
    OPERATOR,
    /** Also changes the trusted configuration (runner profiles, the budget ceiling, tokens). */
    ADMIN;

    /** Whether this role may do what needs {@code needed}. */
    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role's name as files, claims and messages spell it: {@code reader}, {@code operator}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role {@code text} names (case does not matter), if it names one. */
    public static Optional<Role> named(String text) {
        return Arrays.stream(values()).filter(r -> r.label().equalsIgnoreCase(text == null ? "" : text.strip())).findFirst();
    }

    /** "reader, operator, admin", for messages. */
    public static String labels() {
        return Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", "));
    }
}
