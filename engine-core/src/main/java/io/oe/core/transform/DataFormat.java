package io.oe.core.transform;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The formats the engine converts between, known by an artifact's extension and by name (an input's {@code as}). */
public enum DataFormat {
    JSON(".json"), YAML(".yaml", ".yml"), CSV(".csv"), MARKDOWN(".md", ".markdown");

    private final List<String> extensions;

    DataFormat(String... extensions) {
        this.extensions = List.of(extensions);
    }

    /** As a plan writes it: {@code json}, {@code yaml}, {@code csv}, {@code markdown}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The extension a converted artifact gets. */
    String extension() {
        return extensions.get(0);
    }

    /** The format of an artifact, by its extension. */
    public static Optional<DataFormat> ofArtifact(String artifact) {
        String name = artifact.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.extensions.stream().anyMatch(name::endsWith)).findFirst();
    }

    /** A format by its id. */
    public static Optional<DataFormat> named(String id) {
        return Arrays.stream(values()).filter(f -> f.id().equals(id)).findFirst();
    }

    /** The artifact's name without its format's extension: {@code design.yaml} → {@code design}. */
    String baseName(String artifact) {
        String lower = artifact.toLowerCase(Locale.ROOT);
        return extensions.stream().filter(lower::endsWith).findFirst()
                .map(ext -> artifact.substring(0, artifact.length() - ext.length())).orElse(artifact);
    }
}
