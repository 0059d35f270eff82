package io.oe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.deploy.OeHome;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REST documents the build writes (quarkus.smallrye-openapi.store-schema-directory: the model /q/openapi serves)
 * pass Redocly's recommended rules with no error; warnings are printed, not failed. No stack is needed.
 */
class OpenApiLintIT {
    @ParameterizedTest
    @ValueSource(strings = {"plan-loader", "monitor-service"})
    void theServicesOpenApiDocumentPassesRedoclyLintWithNoError(String service) throws URISyntaxException {
        Path doc = OeHome.resolve().resolve(service + "/target/openapi/openapi.yaml");
        assertThat(doc).as("the document %s's build writes (./mvnw -pl %s -am package)", service, service).isRegularFile();
        Path config = Path.of(OpenApiLintIT.class.getResource("/redocly.yaml").toURI());
        RedoclyCli.Run lint = RedoclyCli.run(List.of(RedoclyCli.ensure().toString(), "lint", "--config", config.toString(),
                "--format", "stylish", doc.toString()), 300);
        String problems = lint.output().lines().filter(l -> !l.isBlank() && !l.matches("^\\s*[║╔╚].*"))
                .reduce((a, b) -> a + "\n" + b).orElse("");
        System.out.println("[e2e] redocly lint " + service + " (Redocly CLI " + RedoclyCli.VERSION + "):\n" + problems);
        assertThat(lint.exitCode()).as("redocly lint %s found errors:%n%s", doc, problems).isZero();
    }
}
