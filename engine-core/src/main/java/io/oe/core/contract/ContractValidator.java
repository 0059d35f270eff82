package io.oe.core.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.oe.core.artifact.DirectoryManifest;
import io.oe.core.artifact.FileContent;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates an artifact against its data contract. A contract is a JSON Schema (draft 2020-12 unless its
 * {@code $schema} names draft-07) and may {@code $ref} other contract files of the project by relative path; YAML
 * artifacts are converted to JSON first. A contract may also carry a file contract ({@link FileContract}, key
 * {@code x-oe-file}), the only check for artifacts that are neither JSON nor YAML. Every violation is reported with
 * its JSON pointer and the rule it broke.
 */
public final class ContractValidator {
    /** Contracts are addressed under this base so that relative {@code $ref}s resolve among the project's files. */
    static final String BASE = "https://contracts.oe.invalid/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER).formatAssertionsEnabled(true).build();
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    /**
     * A directory artifact: only a file contract ({@code x-oe-file}, {@code "type": "directory"}) can describe it; a
     * contract that is only a JSON Schema, for a document, is a violation.
     */
    public List<ContractViolation> validateDirectory(String artifact, String contractText, DirectoryManifest tree) {
        JsonNode contract;
        try {
            contract = JSON.readTree(contractText);
        } catch (JsonProcessingException e) {
            return List.of(new ContractViolation(artifact, "", "contract", "its contract is not valid JSON: " + e.getOriginalMessage()));
        }
        if (!contract.has(FileContract.KEY)) {
            return List.of(new ContractViolation(artifact, "", "type", "is a directory, but its contract is a JSON Schema "
                    + "for a document; describe a directory with x-oe-file {\"type\": \"directory\"}"));
        }
        return FileContract.of(contract.get(FileContract.KEY)).checkDirectory(artifact, tree);
    }

    /** A contract without references to other files. */
    public List<ContractViolation> validate(String artifact, String contractText, FileContent file) {
        return validate(artifact, "contract.schema.json", contractText, Map.of(), file);
    }

    /**
     * @param contractPath the contract's path relative to the project directory (where its relative $refs start)
     * @param projectContracts every contract file of the project, path → text, for $refs
     */
    public List<ContractViolation> validate(String artifact, String contractPath, String contractText,
            Map<String, String> projectContracts, FileContent file) {
        JsonNode contract;
        try {
            contract = JSON.readTree(contractText);
        } catch (JsonProcessingException e) {
            return List.of(new ContractViolation(artifact, "", "contract", "its contract is not valid JSON: " + e.getOriginalMessage()));
        }
        List<ContractViolation> out = new ArrayList<>();
        if (contract.has(FileContract.KEY)) {
            out.addAll(FileContract.of(contract.get(FileContract.KEY)).check(artifact, file));
        }
        if (!isJson(artifact) && !isYaml(artifact)) {
            return out; // not a structured document: the file contract is all there is to check
        }
        JsonNode document;
        try (InputStream in = file.open()) {
            document = (isYaml(artifact) ? YAML : JSON).readTree(in);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            out.add(new ContractViolation(artifact, "", "syntax", "not valid " + (isYaml(artifact) ? "YAML" : "JSON")
                    + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()) + ": "
                    + e.getOriginalMessage()));
            return out;
        } catch (IOException e) {
            out.add(new ContractViolation(artifact, "", "read", "cannot be read: " + e.getMessage()));
            return out;
        }
        if (document == null || document.isMissingNode()) {
            out.add(new ContractViolation(artifact, "", "syntax", "is empty"));
            return out;
        }
        out.addAll(validate(artifact, contractPath, contractText, projectContracts, document));
        return out;
    }

    public List<ContractViolation> validate(String artifact, String contractText, JsonNode document) {
        return validate(artifact, "contract.schema.json", contractText, Map.of(), document);
    }

    List<ContractViolation> validate(String artifact, String contractPath, String contractText,
            Map<String, String> projectContracts, JsonNode document) {
        JsonSchema schema = compiled.computeIfAbsent(contractPath + "\n" + contractText + "\n" + projectContracts.hashCode(),
                k -> compile(contractPath, contractText, projectContracts));
        return schema.validate(document).stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                        .thenComparing(ValidationMessage::getMessage))
                .map(m -> new ContractViolation(artifact, m.getInstanceLocation().toString(), m.getType(),
                        stripLocation(m.getMessage())))
                .toList();
    }

    /**
     * Compiles a contract with its references resolved among the project's contracts only: nothing is ever fetched
     * from the network. Throws if a reference cannot be resolved.
     */
    static JsonSchema compile(String contractPath, String text, Map<String, String> projectContracts) {
        try {
            JsonNode node = JSON.readTree(text);
            SpecVersion.VersionFlag version = SpecVersionDetector.detectOptionalVersion(node, false)
                    .orElse(SpecVersion.VersionFlag.V202012);
            Map<String, String> byIri = new ConcurrentHashMap<>();
            projectContracts.forEach((path, t) -> byIri.put(BASE + path, t));
            byIri.put(BASE + contractPath, text);
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(version, b -> b.schemaLoaders(loaders -> loaders
                    .values(List::clear).schemas(byIri::get)));
            JsonSchema schema = factory.getSchema(SchemaLocation.of(BASE + contractPath), CONFIG);
            schema.initializeValidators(); // resolve every $ref now, not at the first artifact
            return schema;
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

    static boolean isYaml(String artifact) {
        return artifact.endsWith(".yaml") || artifact.endsWith(".yml");
    }

    static boolean isJson(String artifact) {
        return artifact.endsWith(".json");
    }
}
