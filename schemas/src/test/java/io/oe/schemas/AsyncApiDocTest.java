package io.oe.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/asyncapi.yaml describes exactly the topics of {@link Topics}, each with its record's .avsc. */
class AsyncApiDocTest {
    @Test
    void everyTopicIsAChannelWithItsSchema() throws Exception {
        Path doc = Path.of("../docs/asyncapi.yaml");
        JsonNode api = new ObjectMapper(new YAMLFactory()).readTree(doc.toFile());
        assertThat(api.path("asyncapi").asText()).startsWith("3.");
        JsonNode channels = api.path("channels");
        assertThat(channels.size()).isEqualTo(Topics.ALL.size());
        for (Topic<?> t : Topics.ALL) {
            JsonNode channel = channels.path(t.name());
            assertThat(channel.path("address").asText()).as("channel %s", t.name()).isEqualTo(t.name());
            String record = t.valueType().getSimpleName();
            assertThat(channel.path("messages").has(record)).as("message of %s", t.name()).isTrue();
            String ref = api.path("components").path("messages").path(record).path("payload").path("schema").path("$ref").asText();
            assertThat(doc.getParent().resolve(ref).normalize()).as("schema of %s", record).isRegularFile();
        }
        api.path("operations").forEach(op -> assertThat(channels.has(op.path("channel").path("$ref").asText()
                .replace("#/channels/", ""))).isTrue());
    }
}
