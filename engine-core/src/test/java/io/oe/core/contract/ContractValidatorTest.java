package io.oe.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractValidatorTest {
    private static final String DRAFT_2020 = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["services"],
             "properties": {"services": {"type": "array", "items": {"type": "object", "required": ["name"],
               "properties": {"name": {"type": "string"}, "port": {"type": "integer", "maximum": 65535}}}}}}
            """;
    private static final String DRAFT_07 = DRAFT_2020.replace("https://json-schema.org/draft/2020-12/schema",
            "http://json-schema.org/draft-07/schema#");

    @TempDir
    Path dir;
    private final ContractValidator validator = new ContractValidator();

    @Test
    void reportsEveryViolationWithItsPointerAndRule() throws Exception {
        for (String contract : new String[] {DRAFT_2020, DRAFT_07}) {
            Path f = Files.writeString(dir.resolve("design.json"),
                    "{\"services\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"port\": 70000}]}");
            var violations = validator.validate("design.json", contract, f);
            assertThat(violations).extracting(ContractViolation::pointer, ContractViolation::rule)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("/services/2", "required"),
                            org.assertj.core.groups.Tuple.tuple("/services/2/port", "maximum"));
            assertThat(violations).anySatisfy(v -> assertThat(v.message()).contains("65535"));
            assertThat(violations).anySatisfy(v -> assertThat(v.message()).contains("name"));
        }
    }

    @Test
    void yamlArtifactsAreCheckedAgainstTheSameSchema() throws Exception {
        Path ok = Files.writeString(dir.resolve("design.yaml"), "services:\n  - name: web\n    port: 8080\n");
        assertThat(validator.validate("design.yaml", DRAFT_2020, ok)).isEmpty();
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "services:\n  - port: 99999\n");
        assertThat(validator.validate("bad.yaml", DRAFT_2020, bad)).hasSize(2);
    }

    @Test
    void anArtifactThatIsNotJsonIsOneViolationNamingItsPlace() throws Exception {
        Path f = Files.writeString(dir.resolve("x.json"), "{\n  \"services\": [,]\n}");
        assertThat(validator.validate("x.json", DRAFT_2020, f)).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("syntax");
            assertThat(v.message()).startsWith("not valid JSON at line 2");
        });
    }
}
