package io.oe.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentDefinitionTest {

    @Test
    void frontMatterAndBodyAreRead() throws Exception {
        AgentDefinition d = AgentDefinition.parse("""
                ---
                name: code-architect
                description: "Designs modules: interfaces and boundaries"
                tools: ['read', 'edit', 'search']
                model: claude-sonnet-4.5
                runner: claude
                target: github-copilot
                ---
                # Code architect

                Design the modules.
                """);
        assertThat(d.name()).isEqualTo("code-architect");
        assertThat(d.description()).isEqualTo("Designs modules: interfaces and boundaries");
        assertThat(d.tools()).containsExactly("read", "edit", "search");
        assertThat(d.model()).isEqualTo("claude-sonnet-4.5");
        assertThat(d.runner()).isEqualTo("claude");
        assertThat(d.frontMatter().path("target").asText()).isEqualTo("github-copilot");
        assertThat(d.instructions()).isEqualTo("# Code architect\n\nDesign the modules.");
    }

    @Test
    void aDefinitionWithoutFrontMatterIsAllInstructions() throws Exception {
        AgentDefinition d = AgentDefinition.parse("Write the docs.\r\n");
        assertThat(d.name()).isNull();
        assertThat(d.tools()).isEmpty();
        assertThat(d.instructions()).isEqualTo("Write the docs.");
    }

    @Test
    void toolsAsACommaSeparatedString() throws Exception {
        assertThat(AgentDefinition.parse("---\ntools: read, edit\n---\nx").tools()).containsExactly("read", "edit");
    }

    @Test
    void brokenYamlNamesTheLineInTheFile() {
        assertThatThrownBy(() -> AgentDefinition.parse("---\nname: qa\ndescription: ok\ntools: [a, b\n---\nbody\n"))
                .isInstanceOf(AgentDefinition.InvalidDefinition.class)
                .hasMessage("line 4: front matter is not valid YAML: while parsing a flow sequence: "
                        + "expected ',' or ']', but got <stream end>")
                .satisfies(e -> assertThat(((AgentDefinition.InvalidDefinition) e).line()).isEqualTo(4));
    }

    @Test
    void anUnclosedFrontMatterOrAListIsRefused() {
        assertThatThrownBy(() -> AgentDefinition.parse("---\nname: qa\nbody"))
                .hasMessageContaining("line 1").hasMessageContaining("no closing '---'");
        assertThatThrownBy(() -> AgentDefinition.parse("---\n- a\n- b\n---\nbody"))
                .hasMessageContaining("line 2").hasMessageContaining("must be a YAML mapping");
    }

    @Test
    void tryParseNeverThrows() {
        assertThat(AgentDefinition.tryParse(null)).isEmpty();
        assertThat(AgentDefinition.tryParse("---\n: :\n  - [\n---\n")).isEmpty();
        assertThat(AgentDefinition.tryParse("---\nmodel: gpt-5\n---\nGo.")).get().extracting(AgentDefinition::model)
                .isEqualTo("gpt-5");
    }
}
