package io.oe.core.transform;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/** The conversions of {@link FormatTransform}, each with Jackson's reader and writer of its formats. */
final class Converters {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .loaderOptions(unboundedDocument()).disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

    private Converters() {
    }

    /** The handoff already bounds an artifact's size: SnakeYAML's own 3 MB limit would refuse what the store accepts. */
    private static LoaderOptions unboundedDocument() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        return options;
    }

    static byte[] yamlToJson(InputStream in) throws ConversionException, IOException {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(in)) {
            if (!docs.hasNextValue()) {
                throw new ConversionException(0, 0, "is empty: there is no YAML document to convert");
            }
            JsonNode doc = docs.nextValue();
            if (docs.hasNextValue()) {
                JsonLocation at = docs.getCurrentLocation();
                throw new ConversionException(at == null ? 0 : at.getLineNr(), 0, "a second YAML document (after a '---' line) starts here; "
                        + "one document converts to one JSON value");
            }
            return JSON.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw syntax("YAML", e);
        }
    }

    static byte[] jsonToYaml(InputStream in) throws ConversionException, IOException {
        JsonNode doc;
        try {
            doc = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw syntax("JSON", e);
        }
        if (doc == null || doc.isMissingNode()) {
            throw new ConversionException(0, 0, "is empty: there is no JSON value to convert");
        }
        return YAML.writeValueAsBytes(doc);
    }

    /** Rows keyed by the header line; every value a string, as CSV has no types. */
    static byte[] csvToJson(InputStream in) throws ConversionException, IOException {
        ArrayNode rows = JSON.createArrayNode();
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(in)) {
            while (it.hasNextValue()) {
                rows.add(JSON.valueToTree(it.nextValue()));
            }
        } catch (JsonProcessingException e) {
            throw syntax("CSV", e);
        }
        return JSON.writeValueAsBytes(rows);
    }

    static byte[] frontMatterToJson(InputStream in) throws ConversionException, IOException {
        FrontMatter fm = FrontMatter.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        if (fm.data() == null) {
            throw new ConversionException(1, 0, "has no front matter to convert (a first line '---', YAML, then '---')");
        }
        if (!fm.data().isObject()) {
            throw new ConversionException(2, 0, "front matter must be a YAML mapping to become a JSON object");
        }
        return JSON.writeValueAsBytes(fm.data());
    }

    private static ConversionException syntax(String format, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return new ConversionException(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                "not valid " + format + ": " + FrontMatter.problem(e.getOriginalMessage()));
    }
}
