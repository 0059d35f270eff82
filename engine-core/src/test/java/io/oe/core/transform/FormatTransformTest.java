package io.oe.core.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FormatTransformTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String convert(String artifact, String as, String text) throws Exception {
        byte[] out = FormatTransform.of(artifact, as).convert(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void yamlBecomesJsonAndJsonBecomesYamlWithTheSameContent() throws Exception {
        JsonNode json = JSON.readTree(convert("design.yaml", "json", """
                region: westeurope
                services:
                  - name: api
                    port: 8080
                """));
        assertThat(json).isEqualTo(JSON.readTree("{\"region\": \"westeurope\", \"services\": [{\"name\": \"api\", \"port\": 8080}]}"));
        String yaml = convert("design.json", "yaml", json.toString());
        assertThat(new ObjectMapper(new YAMLFactory()).readTree(yaml)).isEqualTo(json);
        assertThat(yaml).doesNotStartWith("---");
    }

    @Test
    void csvBecomesAJsonArrayOfOneObjectPerRowKeyedByTheHeader() throws Exception {
        JsonNode rows = JSON.readTree(convert("users.csv", "json", "name,age,city\nalice,31,\"Paris, FR\"\n\nbob,27,Oslo\n"));
        assertThat(rows).isEqualTo(JSON.readTree("[{\"name\": \"alice\", \"age\": \"31\", \"city\": \"Paris, FR\"},"
                + " {\"name\": \"bob\", \"age\": \"27\", \"city\": \"Oslo\"}]"));
        assertThat(rows.get(0).fieldNames()).toIterable().containsExactly("name", "age", "city");
    }

    @Test
    void markdownFrontMatterBecomesAJsonObject() throws Exception {
        JsonNode json = JSON.readTree(convert("overview.md", "json", "---\ntitle: Overview\ntags: [a, b]\n---\n# Overview\n"));
        assertThat(json).isEqualTo(JSON.readTree("{\"title\": \"Overview\", \"tags\": [\"a\", \"b\"]}"));
    }

    @Test
    void theConvertedArtifactTakesTheNewFormatsExtension() {
        assertThat(FormatTransform.of("design.yaml", "json").target("design.yaml")).isEqualTo("design.json");
        assertThat(FormatTransform.of("design.YML", "json").target("design.YML")).isEqualTo("design.json");
        assertThat(FormatTransform.of("api.json", "yaml").target("api.json")).isEqualTo("api.yaml");
        assertThat(FormatTransform.of("users.csv", "json").target("users.csv")).isEqualTo("users.json");
        assertThat(FormatTransform.of("notes.markdown", "json").target("notes.markdown")).isEqualTo("notes.json");
        assertThat(FormatTransform.of("design.yaml", "json")).hasToString("yaml → json");
    }

    @Test
    void aTransformTheEngineDoesNotMakeIsRefusedSayingWhichItMakes() {
        assertThatThrownBy(() -> FormatTransform.of("design.json", "json")).hasMessage("design.json is json already");
        assertThatThrownBy(() -> FormatTransform.of("design.json", "xml"))
                .hasMessage("'xml' is not a format (json, yaml, csv, markdown)");
        assertThatThrownBy(() -> FormatTransform.of("design.txt", "json"))
                .hasMessage("design.txt has no extension the engine converts from (.json, .yaml, .csv, .md)");
        assertThatThrownBy(() -> FormatTransform.of("users.csv", "yaml")).hasMessage("csv → yaml is not a transform the "
                + "engine makes (it makes: yaml → json, json → yaml, csv → json, markdown → json)");
    }

    @Test
    void aConversionErrorNamesTheLine() {
        assertThatThrownBy(() -> convert("design.yaml", "json", "region: westeurope\nservices:\n  - name: api\n   port: 8080\n"))
                .isInstanceOf(ConversionException.class).hasMessageStartingWith("line 4, column ")
                .hasMessageContaining("not valid YAML")
                .satisfies(e -> assertThat(((ConversionException) e).line()).isEqualTo(4));
        assertThatThrownBy(() -> convert("design.yaml", "json", "a: 1\n---\nb: 2\n"))
                .hasMessage("line 3: a second YAML document (after a '---' line) starts here; one document converts to one JSON value");
        assertThatThrownBy(() -> convert("design.yaml", "json", "")).hasMessage("is empty: there is no YAML document to convert");
        assertThatThrownBy(() -> convert("api.json", "yaml", "{\"a\": 1,\n \"b\": }"))
                .hasMessageStartingWith("line 2, column ").hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> convert("users.csv", "json", "name,age\nalice,31\nbob\ncarol,1,extra\n"))
                .isInstanceOf(ConversionException.class).hasMessageStartingWith("line 3").hasMessageContaining("not valid CSV");
        assertThatThrownBy(() -> convert("notes.md", "json", "# no front matter\n"))
                .hasMessage("line 1: has no front matter to convert (a first line '---', YAML, then '---')");
        assertThatThrownBy(() -> convert("notes.md", "json", "---\ntitle: x\ntags: [a\n---\n# x\n"))
                .hasMessageStartingWith("line 3: front matter is not valid YAML");
        assertThatThrownBy(() -> convert("notes.md", "json", "---\n- a\n- b\n---\n"))
                .hasMessage("line 2: front matter must be a YAML mapping to become a JSON object");
    }
}
