package io.oe.core.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The YAML front matter of a Markdown document, between a first line {@code ---} and the next {@code ---} line (an
 * agent definition's, a document's), and the Markdown after it.
 *
 * @param data the front matter as parsed (an empty mapping when it is empty), or null when the text has none
 */
public record FrontMatter(JsonNode data, String body) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** @throws ConversionException naming the line of the file where the front matter is broken */
    public static FrontMatter parse(String text) throws ConversionException {
        String d = text.replace("\r\n", "\n");
        if (d.startsWith("\uFEFF")) {
            d = d.substring(1);
        }
        if (!d.startsWith("---\n")) {
            return new FrontMatter(null, d);
        }
        int end = d.indexOf("\n---", 3);
        if (end < 0) {
            throw new ConversionException(1, 0, "front matter starts here but has no closing '---'");
        }
        int bodyStart = d.indexOf('\n', end + 4);
        String body = bodyStart < 0 ? "" : d.substring(bodyStart + 1);
        JsonNode data;
        try {
            data = YAML.readTree(d.substring(4, end + 1));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr() + 1; // +1: the opening '---'
            throw new ConversionException(line, 0, "front matter is not valid YAML: " + problem(e.getOriginalMessage()));
        }
        return new FrontMatter(data == null || data.isNull() || data.isMissingNode() ? YAML.createObjectNode() : data, body);
    }

    /**
     * A reader's message without its excerpts (SnakeYAML quotes the text around the problem, with line numbers that
     * count from where it started reading, not from the file's start).
     */
    static String problem(String message) {
        return String.join(": ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
    }
}
