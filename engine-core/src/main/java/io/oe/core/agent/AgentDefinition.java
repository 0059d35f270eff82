package io.oe.core.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
        String d = text.replace("\r\n", "\n");
        if (d.startsWith("\uFEFF")) {
            d = d.substring(1);
        }
        if (!d.startsWith("---\n")) {
            return new AgentDefinition(null, null, List.of(), null, null, YAML.createObjectNode(), d.strip());
        }
        int end = d.indexOf("\n---", 3);
        if (end < 0) {
            throw new InvalidDefinition(1, "front matter starts here but has no closing '---'");
        }
        int bodyStart = d.indexOf('\n', end + 4);
        String body = bodyStart < 0 ? "" : d.substring(bodyStart + 1);
        JsonNode fm;
        try {
            fm = YAML.readTree(d.substring(4, end + 1));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr() + 1; // +1: the opening '---'
            throw new InvalidDefinition(line, "front matter is not valid YAML: " + problem(e.getOriginalMessage()));
        }
        if (fm == null || fm.isNull() || fm.isMissingNode()) {
            fm = YAML.createObjectNode();
        }
        if (!fm.isObject()) {
            throw new InvalidDefinition(2, "front matter must be a YAML mapping (name, description, tools, model)");
        }
        return new AgentDefinition(text(fm, "name"), text(fm, "description"), tools(fm.get("tools")), text(fm, "model"),
                text(fm, "runner"), fm, body.strip());
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

    /** SnakeYAML's message without its excerpts, whose line numbers count from the front matter, not the file. */
    private static String problem(String message) {
        return String.join(": ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
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
