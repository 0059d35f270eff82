package io.oe.gateway;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's trusted runner configuration: named profiles (an argv template, environment, working directory)
 * and which profile runs which agent ({@code "*"} for the rest). Only whoever runs the gateway writes this file; a
 * plan names agents and never reaches a command, an argument template or an environment variable.
 */
public record RunnerConfig(Map<String, Profile> runners, Map<String, String> agents) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    static final List<String> PLACEHOLDERS = List.of("phase_file", "prompt_file", "workspace", "agent", "model", "oe_home",
            "inputs_dir", "outputs_dir");

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Profile(String description, List<String> argv, Map<String, String> env,
            @JsonProperty("env_passthrough") List<String> envPassthrough, @JsonProperty("working_dir") String workingDir) {
        public Profile {
            env = env == null ? Map.of() : Map.copyOf(env);
            envPassthrough = envPassthrough == null ? List.of() : List.copyOf(envPassthrough);
        }
    }

    /** Reads and checks the file; every problem is reported with the file's name. */
    public static RunnerConfig load(Path file) {
        RunnerConfig config;
        try {
            config = new ObjectMapper().readValue(file.toFile(), RunnerConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("runner configuration " + file + " cannot be read: " + e.getMessage(), e);
        }
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("runner configuration " + file + ": " + String.join("; ", problems));
        }
        return config;
    }

    List<String> problems() {
        List<String> out = new ArrayList<>();
        if (runners == null || runners.isEmpty()) {
            out.add("no runner profiles ('runners')");
            return out;
        }
        runners.forEach((name, p) -> {
            if (p.argv() == null || p.argv().isEmpty()) {
                out.add("profile '" + name + "' has no argv");
                return;
            }
            for (String arg : p.argv()) {
                Matcher m = PLACEHOLDER.matcher(arg);
                while (m.find()) {
                    if (!PLACEHOLDERS.contains(m.group(1))) {
                        out.add("profile '" + name + "' uses unknown placeholder {" + m.group(1) + "} (known: " + PLACEHOLDERS + ")");
                    }
                }
            }
            if (p.argv().get(0).contains("{")) {
                out.add("profile '" + name + "': the program (argv[0]) must be fixed, not a placeholder");
            } else if (findExecutable(p.argv().get(0)).isEmpty()) {
                out.add("profile '" + name + "': program '" + p.argv().get(0) + "' not found or not executable");
            }
        });
        if (agents == null || agents.isEmpty()) {
            out.add("no agent mapping ('agents'; use \"*\" for a default profile)");
        } else {
            agents.forEach((agent, profile) -> {
                if (!runners.containsKey(profile)) {
                    out.add("agent '" + agent + "' maps to unknown profile '" + profile + "'");
                }
            });
        }
        return out;
    }

    /** The profile for an agent: its own mapping, else the default. */
    public Optional<Profile> profileFor(String agent) {
        String name = agents.getOrDefault(agent, agents.get("*"));
        return Optional.ofNullable(name == null ? null : runners.get(name));
    }

    /**
     * The argv with placeholders replaced. Each value is substituted into its argument as data: it never becomes an
     * extra argument and never passes through a shell.
     */
    public static List<String> render(List<String> argv, Map<String, String> values) {
        List<String> out = new ArrayList<>(argv.size());
        for (String arg : argv) {
            out.add(PLACEHOLDER.matcher(arg).replaceAll(m -> Matcher.quoteReplacement(values.getOrDefault(m.group(1), ""))));
        }
        return out;
    }

    static Optional<Path> findExecutable(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
