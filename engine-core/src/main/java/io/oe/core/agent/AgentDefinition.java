package io.oe.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.oe.core.transform.ConversionException;
import io.oe.core.transform.FrontMatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An agent definition, {@code .github/agents/<name>.agent.md} in the GitHub custom-agent format: optional YAML front
 * matter between two {@code ---} lines, then the Markdown instructions. The known keys are read into fields; the
 * whole front matter stays available as {@link #frontMatter()} for the rest of what the format carries.
 *
 * @param runner the runner profile the agent asks for ({@code runner:}); only a name, resolved against the gateway's
 *               trusted configuration, never a command
 */
public record AgentDefinition(String name, String description, List<String> tools, String model, String runner,
        JsonNode frontMatter, String instructions) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Why a definition cannot be used; {@code line} is 1-based in the .agent.md file, 0 if unknown. */
    public static final class InvalidDefinition extends Exception {
        private final int line;

        InvalidDefinition(int line, String message) {
            super(line > 0 ? "line " + line + ": " + message : message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    public static AgentDefinition parse(String text) throws InvalidDefinition {
        FrontMatter parsed;
        try {
            parsed = FrontMatter.parse(text);
        } catch (ConversionException e) {
            throw new InvalidDefinition(e.line(), e.problem());
        }
        JsonNode fm = parsed.data();
        if (fm == null) {
            return new AgentDefinition(null, null, List.of(), null, null, YAML.createObjectNode(), parsed.body().strip());
        }
        if (!fm.isObject()) {
            throw new InvalidDefinition(2, "front matter must be a YAML mapping (name, description, tools, model)");
        }
        return new AgentDefinition(text(fm, "name"), text(fm, "description"), tools(fm.get("tools")), text(fm, "model"),
                text(fm, "runner"), fm, parsed.body().strip());
    }

    /** The definition if it parses; for readers (the gateway) that must not fail on what validation already refused. */
    public static Optional<AgentDefinition> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (InvalidDefinition e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode fm, String key) {
        JsonNode n = fm.get(key);
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    /** {@code tools} is a list in the format, but a single string or a comma-separated one is accepted too. */
    private static List<String> tools(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(t -> out.add(t.asText()));
        } else {
            for (String t : n.asText().split(",")) {
                if (!t.isBlank()) {
                    out.add(t.strip());
                }
            }
        }
        return List.copyOf(out);
    }
}
