package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the phases of a tier relate to each other. */
public enum TierMode {
    /** Each phase waits for the one before it. */
    SEQUENTIAL,
    /** Each phase runs only if its condition holds; phases wait only for the previous tier. */
    CONDITIONAL,
    /** Phases wait only for the previous tier and run side by side. */
    PARALLEL;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TierMode parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
