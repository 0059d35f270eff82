package io.oe.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.artifact.DirectoryManifest;
import io.oe.core.artifact.FileContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            var violations = validator.validate("design.json", contract, FileContent.of(f));
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
        assertThat(validator.validate("design.yaml", DRAFT_2020, FileContent.of(ok))).isEmpty();
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "services:\n  - port: 99999\n");
        assertThat(validator.validate("bad.yaml", DRAFT_2020, FileContent.of(bad))).hasSize(2);
    }

    @Test
    void anArtifactThatIsNotJsonIsOneViolationNamingItsPlace() throws Exception {
        Path f = Files.writeString(dir.resolve("x.json"), "{\n  \"services\": [,]\n}");
        assertThat(validator.validate("x.json", DRAFT_2020, FileContent.of(f))).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("syntax");
            assertThat(v.message()).startsWith("not valid JSON at line 2");
        });
    }

    @Test
    void aContractCanReferenceAnotherContractFileOfTheProject() throws Exception {
        String common = "{\"$defs\": {\"port\": {\"type\": \"integer\", \"maximum\": 65535}}}";
        String design = """
                {"type": "object", "properties": {"port": {"$ref": "common.schema.json#/$defs/port"}}}
                """;
        var contracts = java.util.Map.of("contracts/common.schema.json", common, "contracts/design.schema.json", design);
        Path f = Files.writeString(dir.resolve("design.json"), "{\"port\": 70000}");
        var violations = validator.validate("design.json", "contracts/design.schema.json", design, contracts, FileContent.of(f));
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/port");
            assertThat(v.rule()).isEqualTo("maximum");
        });
        assertThat(ContractSchemas.problems("contracts/design.schema.json", design, contracts)).isEmpty();
        assertThat(ContractSchemas.problems("contracts/design.schema.json", design, java.util.Map.of("contracts/design.schema.json", design)))
                .singleElement().asString().startsWith("a $ref does not resolve among the project's contracts");
    }

    @Test
    void aRemoteRefIsNeverFetched() {
        String remote = "{\"$ref\": \"https://example.com/evil.schema.json\"}";
        assertThat(ContractSchemas.problems("contracts/x.schema.json", remote, java.util.Map.of()))
                .singleElement().asString().contains("does not resolve");
    }

    @Test
    void fileContractsCheckDocumentsThatAreNotJson() throws Exception {
        String contract = """
                {"x-oe-file": {"min_bytes": 10, "max_bytes": 1000, "media_type": "text/markdown", "pattern": "(?m)^# .+"}}
                """;
        Path ok = Files.writeString(dir.resolve("overview.md"), "# Overview\n\nWhat the shop does.\n");
        assertThat(validator.validate("overview.md", contract, FileContent.of(ok))).isEmpty();
        Path bad = Files.writeString(dir.resolve("notes.txt"), "short");
        assertThat(validator.validate("notes.txt", contract, FileContent.of(bad))).extracting(ContractViolation::rule)
                .containsExactly("min_bytes", "media_type", "pattern");
        assertThat(ContractSchemas.problems("c.json", "{\"x-oe-file\": {\"pattern\": \"(\", \"size\": 1}}", java.util.Map.of()))
                .anySatisfy(p -> assertThat(p).contains("unknown key 'size'"))
                .anySatisfy(p -> assertThat(p).contains("pattern does not compile"));
    }

    @Test
    void directoryContractsCountFilesBytesAndRequiredFiles() throws Exception {
        var tree = new DirectoryManifest(List.of(new DirectoryManifest.Entry("src/index.ts", "00", 1)));
        String contract = """
                {"x-oe-file": {"type": "directory", "min_files": 2, "max_bytes": 100, "required_files": ["package.json", "src/index.ts"]}}
                """;
        assertThat(validator.validateDirectory("app", contract, tree))
                .extracting(ContractViolation::rule, ContractViolation::pointer, ContractViolation::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("min_files", "", "holds 1 files; the contract wants at least 2"),
                        org.assertj.core.groups.Tuple.tuple("required_files", "/package.json", "has no file package.json"));
        assertThat(validator.validateDirectory("app", "{\"type\": \"object\"}", tree)).extracting(ContractViolation::rule)
                .containsExactly("type");
        // a file where the contract wants a directory, and the reverse
        Path file = Files.writeString(dir.resolve("app.md"), "# x");
        assertThat(validator.validate("app.md", "{\"x-oe-file\": {\"type\": \"directory\"}}", FileContent.of(file)))
                .extracting(ContractViolation::message).containsExactly("is a file; the contract wants a directory");
        assertThat(validator.validateDirectory("app", "{\"x-oe-file\": {\"type\": \"file\"}}", tree))
                .extracting(ContractViolation::message).containsExactly("is a directory; the contract wants a file");
        assertThat(ContractSchemas.problems("c.json", "{\"x-oe-file\": {\"type\": \"folder\", \"max_files\": 3, "
                + "\"required_files\": [\"../x\"]}}", java.util.Map.of()))
                .anySatisfy(p -> assertThat(p).contains("type must be \"file\" or \"directory\""))
                .anySatisfy(p -> assertThat(p).contains("max_files applies to a directory"))
                .anySatisfy(p -> assertThat(p).contains("'../x' must be a relative path inside the directory"));
    }

    @Test
    void aJsonArtifactCanCarryBothAFileAndASchemaContract() throws Exception {
        String contract = "{\"type\": \"object\", \"required\": [\"a\"], \"x-oe-file\": {\"max_bytes\": 5}}";
        Path f = Files.writeString(dir.resolve("x.json"), "{\"b\": 1}");
        assertThat(validator.validate("x.json", contract, FileContent.of(f))).extracting(ContractViolation::rule)
                .containsExactlyInAnyOrder("max_bytes", "required");
    }
}
