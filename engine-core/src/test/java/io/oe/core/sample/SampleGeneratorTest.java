package io.oe.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SampleGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyExampleContractGetsADocumentThatSatisfiesIt() throws IOException {
        List<Path> contracts;
        try (Stream<Path> s = Files.list(Path.of("../examples/myapp/contracts"))) {
            contracts = s.filter(p -> p.getFileName().toString().endsWith(".schema.json")).sorted().toList();
        }
        assertThat(contracts).hasSizeGreaterThanOrEqualTo(15);
        var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        var config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        for (Path c : contracts) {
            JsonNode schema = JSON.readTree(c.toFile());
            JsonNode doc = new SampleGenerator(JSON, Map.of("agent", "@doc", "produced_by", "@doc", "phase", "Docs"))
                    .generate(schema);
            assertThat(factory.getSchema(schema, config).validate(doc)).as(c + " → " + doc).isEmpty();
            assertThat(doc.get("produced_by").asText()).isEqualTo("@doc");
        }
    }

    @Test
    void theSameContractAndContextGiveTheSameDocumentSoAPhaseRunAgainWritesTheSameBytes() throws IOException {
        JsonNode schema = JSON.readTree(Path.of("../examples/myapp/contracts/architecture.schema.json").toFile());
        Map<String, String> context = Map.of("agent", "@architect", "phase", "Architecture");

        JsonNode first = new SampleGenerator(JSON, context).generate(schema);
        JsonNode again = new SampleGenerator(JSON, context).generate(schema);

        assertThat(again).isEqualTo(first);
        assertThat(first.toString()).contains(SampleGenerator.SAMPLE_TIME);
    }
}
