package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.plan.PlanBundle;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.OptionalLong;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BodyLimitTest {
    private final BodyLimit limit = new BodyLimit(new MemorySize(BigInteger.valueOf(PlanBundle.MAX_BYTES)));

    @Test
    void anOversizedBundleIsRefusedNamingItsSizeAndTheLimit() {
        Problem p = limit.refusal("/api/v1/executions", 22_548_578);
        assertThat(p.error()).isEqualTo("the plan bundle is 21.5 MB (22,548,578 bytes); the limit is 16 MB (16,777,216 bytes)");
        assertThat(p.violations()).singleElement().satisfies(v -> {
            assertThat(v.where()).isEqualTo("request body");
            assertThat(v.message()).contains("split the plan").contains("quarkus.http.limits.max-body-size");
        });
    }

    @Test
    void anOversizedCommandIsCalledACommand() {
        assertThat(limit.refusal("/api/v1/executions/exec_1/commands", 17_000_000).error())
                .startsWith("the command is 16.2 MB (17,000,000 bytes); the limit is 16 MB");
        assertThat(limit.refusal("/q/other", 17_000_000).error()).startsWith("the request body is 16.2 MB");
    }

    @Test
    void onlyADeclaredNumericLengthIsChecked() {
        assertThat(BodyLimit.declaredLength(" 22548578 ")).isEqualTo(OptionalLong.of(22_548_578));
        assertThat(BodyLimit.declaredLength(null)).isEmpty();
        assertThat(BodyLimit.declaredLength("lots")).isEmpty(); // Quarkus refuses it as it always did
    }

    @Test
    void theServiceTakesTheBundleSizeTheCliChecksBeforeSending() throws Exception {
        Properties p = new Properties();
        try (InputStream in = BodyLimitTest.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            p.load(in);
        }
        long configured = new MemorySizeConverter().convert(p.getProperty("quarkus.http.limits.max-body-size")).asLongValue();
        assertThat(configured).isEqualTo(PlanBundle.MAX_BYTES);
    }
}
