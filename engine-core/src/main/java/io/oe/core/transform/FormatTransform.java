package io.oe.core.transform;

import static io.oe.core.transform.DataFormat.CSV;
import static io.oe.core.transform.DataFormat.JSON;
import static io.oe.core.transform.DataFormat.MARKDOWN;
import static io.oe.core.transform.DataFormat.YAML;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A conversion the Handoff Manager makes when a consumer asks for an input in another format than its producer wrote
 * ({@code "as": "json"} on the input): YAML ⇄ JSON, CSV → a JSON array of objects (one per row, keyed by the header,
 * every value a string), Markdown front matter → a JSON object.
 */
public record FormatTransform(DataFormat from, DataFormat to) {
    public static final List<FormatTransform> SUPPORTED = List.of(new FormatTransform(YAML, JSON),
            new FormatTransform(JSON, YAML), new FormatTransform(CSV, JSON), new FormatTransform(MARKDOWN, JSON));

    /**
     * The transform that gives {@code artifact} in format {@code as}.
     *
     * @throws IllegalArgumentException saying why there is none
     */
    public static FormatTransform of(String artifact, String as) {
        DataFormat from = DataFormat.ofArtifact(artifact).orElseThrow(() -> new IllegalArgumentException(artifact
                + " has no extension the engine converts from (" + extensions() + ")"));
        DataFormat to = DataFormat.named(as).orElseThrow(() -> new IllegalArgumentException("'" + as
                + "' is not a format (" + Arrays.stream(DataFormat.values()).map(DataFormat::id).collect(Collectors.joining(", "))
                + ")"));
        if (from == to) {
            throw new IllegalArgumentException(artifact + " is " + to.id() + " already");
        }
        FormatTransform t = new FormatTransform(from, to);
        if (!SUPPORTED.contains(t)) {
            throw new IllegalArgumentException(t + " is not a transform the engine makes (it makes: "
                    + SUPPORTED.stream().map(FormatTransform::toString).collect(Collectors.joining(", ")) + ")");
        }
        return t;
    }

    /** The converted artifact's name: {@code design.yaml} as json is {@code design.json}. */
    public String target(String artifact) {
        return from.baseName(artifact) + to.extension();
    }

    /** The converted bytes (UTF-8). */
    public byte[] convert(InputStream in) throws ConversionException, IOException {
        return switch (from) {
            case YAML -> Converters.yamlToJson(in);
            case JSON -> Converters.jsonToYaml(in);
            case CSV -> Converters.csvToJson(in);
            case MARKDOWN -> Converters.frontMatterToJson(in);
        };
    }

    /** "yaml → json". */
    @Override
    public String toString() {
        return from.id() + " → " + to.id();
    }

    private static String extensions() {
        return Arrays.stream(DataFormat.values()).map(f -> f.extension()).collect(Collectors.joining(", "));
    }
}
