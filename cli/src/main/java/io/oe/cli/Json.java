package io.oe.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.oe.core.api.JsonLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One Jackson mapper for the CLI. */
public final class Json {
    private Json() {
    }

    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Reads a JSON file; a missing or malformed file is a CLI error naming the file, the line and column. */
    public static JsonNode readFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new CliException(what + " not found: " + file, CliException.REJECTED);
        }
        try {
            return MAPPER.readTree(file.toFile());
        } catch (StreamConstraintsException e) { // too large for the parser, not malformed
            throw new CliException(JsonLimits.sentence(what + " " + file, e), CliException.REJECTED);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new CliException(what + " " + file + " is not valid JSON"
                    + (loc != null ? " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")" : "")
                    + ": " + e.getOriginalMessage(), CliException.REJECTED);
        } catch (IOException e) {
            throw new CliException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    /** Without indentation: what goes over the wire. */
    public static byte[] compact(JsonNode node) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pretty(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
