package io.oe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

    @Test
    void noOverridesAddNoLines() {
        assertThat(BrokerSettings.overrides(null)).isEmpty();
        assertThat(BrokerSettings.overrides("  ")).isEmpty();
    }

    @Test
    void anOverrideIsWrittenAfterTheDefaultsSoTheBrokerReadsIt() throws IOException {
        List<String> lines = BrokerSettings.overrides("num.io.threads=2; num.network.threads=1");
        String text = BrokerSettings.serverProperties(Path.of("/tmp/x"), 9092, 9093, "PLAINTEXT", List.of())
                + String.join("\n", lines) + "\n";
        Properties read = new Properties();
        read.load(new StringReader(text));
        assertThat(read.getProperty("num.io.threads")).isEqualTo("2");
        assertThat(read.getProperty("num.network.threads")).isEqualTo("1");
        assertThat(read.getProperty("node.id")).isEqualTo("1");
    }

    @Test
    void aLaterOverrideOfADefaultWins() throws IOException {
        String text = BrokerSettings.serverProperties(Path.of("/tmp/x"), 9092, 9093, "PLAINTEXT", List.of())
                + String.join("\n", BrokerSettings.overrides("num.partitions=1")) + "\n";
        Properties read = new Properties();
        read.load(new StringReader(text));
        assertThat(read.getProperty("num.partitions")).isEqualTo("1");
    }

    @Test
    void anItemThatIsNotKeyEqualsValueIsRefusedWithItsPlace() {
        assertThatThrownBy(() -> BrokerSettings.overrides("num.io.threads=2;oops"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OE_BROKER_SETTINGS: item 2 (\"oops\") is not key=value");
        assertThatThrownBy(() -> BrokerSettings.overrides("=2"))
                .hasMessageContaining("item 1");
    }
}
