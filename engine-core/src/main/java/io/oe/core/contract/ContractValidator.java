package io.oe.core.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates an artifact against its data contract (JSON Schema, draft 2020-12 by default, or the draft its
 * {@code $schema} names). YAML artifacts are converted to JSON first and checked against the same schema. Every
 * violation is reported with its JSON pointer and the rule it broke.
 */
public final class ContractValidator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER).formatAssertionsEnabled(true).build();
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    public List<ContractViolation> validate(String artifact, String contractText, Path file) {
        JsonNode document;
        try {
            document = (isYaml(artifact) ? YAML : JSON).readTree(file.toFile());
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            return List.of(new ContractViolation(artifact, "", "syntax", "not valid " + (isYaml(artifact) ? "YAML" : "JSON")
                    + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()) + ": "
                    + e.getOriginalMessage()));
        } catch (IOException e) {
            return List.of(new ContractViolation(artifact, "", "read", "cannot be read: " + e.getMessage()));
        }
        if (document == null || document.isMissingNode()) {
            return List.of(new ContractViolation(artifact, "", "syntax", "is empty"));
        }
        return validate(artifact, contractText, document);
    }

    public List<ContractViolation> validate(String artifact, String contractText, JsonNode document) {
        JsonSchema schema = compiled.computeIfAbsent(contractText, ContractValidator::compile);
        return schema.validate(document).stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                        .thenComparing(ValidationMessage::getMessage))
                .map(m -> new ContractViolation(artifact, m.getInstanceLocation().toString(), m.getType(),
                        stripLocation(m.getMessage())))
                .toList();
    }

    private static JsonSchema compile(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            SpecVersion.VersionFlag version = SpecVersionDetector.detectOptionalVersion(node, false)
                    .orElse(SpecVersion.VersionFlag.V202012);
            return JsonSchemaFactory.getInstance(version).getSchema(node, CONFIG);
        } catch (IOException e) {
            throw new IllegalArgumentException("contract is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** networknt prefixes each message with the instance location, which the pointer already carries. */
    private static String stripLocation(String message) {
        int colon = message.indexOf(": ");
        return colon > 0 && (message.startsWith("/") || message.startsWith("$") || message.startsWith(": "))
                ? message.substring(colon + 2) : message.startsWith(": ") ? message.substring(2) : message;
    }

    private static boolean isYaml(String artifact) {
        return artifact.endsWith(".yaml") || artifact.endsWith(".yml");
    }
}
