package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.artifact.ArtifactPathException;
import io.oe.core.artifact.Paths2;
import io.oe.core.plan.EngineConfig;
import java.nio.file.Path;

/**
 * Where engine.config.json says the plan and the project plan are: {@code orchestration_plan_path} and
 * {@code project_plan_path}, relative to the project directory (the config's), the seed's defaults when a key is
 * absent. A path that is not text, or leads out of the project, is refused naming the key and the file.
 */
final class ConfigPaths {
    static final String PLAN_KEY = "orchestration_plan_path";
    static final String PROJECT_PLAN_KEY = "project_plan_path";

    private final JsonNode config;
    private final Path configFile;
    private final Path projectDir;

    /** @param config the config's JSON, or null without one (then the defaults apply) */
    ConfigPaths(JsonNode config, Path configFile, Path projectDir) {
        this.config = config;
        this.configFile = configFile;
        this.projectDir = projectDir;
    }

    Path plan() {
        return resolve(PLAN_KEY, EngineConfig.DEFAULTS.orchestrationPlanPath());
    }

    Path projectPlan() {
        return resolve(PROJECT_PLAN_KEY, EngineConfig.DEFAULTS.projectPlanPath());
    }

    /** Where a file's path came from, for a message: "" when it was given explicitly. */
    String source(Path explicit, String key) {
        if (explicit != null) {
            return "";
        }
        if (config != null && config.has(key)) {
            return " (" + key + " in " + configFile + ")";
        }
        return " (the default " + key + "; " + (config == null ? "no engine.config.json" : configFile + " does not set it") + ")";
    }

    private Path resolve(String key, String fallback) {
        JsonNode value = config == null ? null : config.get(key);
        if (value != null && !value.isTextual()) {
            throw new CliException(configFile + ": " + key + " must be a path relative to the project directory, not "
                    + value, CliException.REJECTED);
        }
        String relative = value == null ? fallback : value.asText();
        try {
            return projectDir.resolve(String.join("/", Paths2.components(relative, projectDir)));
        } catch (ArtifactPathException e) {
            throw new CliException(configFile + ": " + key + ": " + e.getMessage(), CliException.REJECTED);
        }
    }
}
