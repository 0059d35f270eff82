package io.oe.core.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Is a contract file a JSON Schema? Checked against the meta-schema of the draft its {@code $schema} names. */
public final class ContractSchemas {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private ContractSchemas() {
    }

    /**
     * Why a contract file is not usable: not JSON, not a valid JSON Schema, a malformed file contract, or a $ref that
     * does not resolve among the project's contracts. Empty if it is usable.
     */
    public static List<String> problems(String path, String text, Map<String, String> projectContracts) {
        List<String> out = new ArrayList<>(problems(text));
        if (!out.isEmpty()) {
            return out;
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node.has(FileContract.KEY)) {
                out.addAll(FileContract.problems(node.get(FileContract.KEY)));
            }
            ContractValidator.compile(path, text, projectContracts);
        } catch (RuntimeException | JsonProcessingException e) {
            String msg = String.valueOf(e.getMessage()).replace(ContractValidator.BASE, "");
            out.add("a $ref does not resolve among the project's contracts: " + msg);
        }
        return out;
    }

    /** Why a contract file is not a usable JSON Schema; empty if it is. */
    public static List<String> problems(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            return List.of("not valid JSON" + (loc == null ? "" : " at line " + loc.getLineNr() + ", column "
                    + loc.getColumnNr()) + ": " + e.getOriginalMessage());
        }
        if (node == null || !(node.isObject() || node.isBoolean())) {
            return List.of("not a JSON Schema: a schema is a JSON object");
        }
        SpecVersion.VersionFlag version;
        try {
            version = SpecVersionDetector.detectOptionalVersion(node, false).orElse(SpecVersion.VersionFlag.V202012);
        } catch (RuntimeException e) {
            return List.of("unsupported $schema: " + e.getMessage());
        }
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(version);
        JsonMetaSchema meta = factory.getMetaSchema(version.getId(), null);
        return factory.getSchema(java.net.URI.create(meta.getIri())).validate(node).stream()
                .map(m -> "not a valid JSON Schema: " + m.getMessage())
                .toList();
    }
}
