package io.oe.core.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oe.core.limit.ConcurrencyLimits;
import io.oe.core.plan.Budget;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trusted runner configuration: named profiles (an argv template, environment, working directory, the models its
 * CLI runs) and which profile runs which agent ({@code "*"} for the rest). Only whoever runs the engine writes this
 * file ({@code oe.runners-file}); a plan names agents and never reaches a command, an argument template or an
 * environment variable. The agent-gateway runs agents by it; the plan-loader reads the same file to refuse, at
 * validation, an agent whose model or runner profile the gateway could not run.
 */
public record RunnerConfig(Map<String, Profile> runners, Map<String, String> agents, Map<String, ModelPrice> prices,
        @JsonProperty("budget_ceiling") Budget budgetCeiling, ConcurrencyLimits limits) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    public static final List<String> PLACEHOLDERS = List.of("phase_file", "prompt_file", "workspace", "agent", "model", "oe_home",
            "inputs_dir", "outputs_dir");

    /** {@code prices}: model (as agents report it, or as a profile's {@code {model}} runs it) → its price. */
    /**
     * {@code limits}: caps on how many attempts of an agent or of a profile run at once across every execution (null:
     * none); the phase-scheduler's seat keeper holds them (docs/architecture.md, "Limits across executions").
     */
    public RunnerConfig {
        prices = prices == null ? Map.of() : Map.copyOf(prices);
        limits = limits == null ? ConcurrencyLimits.NONE : limits;
    }

    public RunnerConfig(Map<String, Profile> runners, Map<String, String> agents, Map<String, ModelPrice> prices,
            Budget budgetCeiling) {
        this(runners, agents, prices, budgetCeiling, null);
    }

    public RunnerConfig(Map<String, Profile> runners, Map<String, String> agents) {
        this(runners, agents, null, null, null);
    }

    /**
     * {@code budgetCeiling}: the most a plan's engine.config.json {@code budget} may give (a plan above it is refused at
     * load, a plan without one gets it), null: no ceiling. It is here, with the prices, because whoever pays sets it.
     */
    public RunnerConfig(Map<String, Profile> runners, Map<String, String> agents, Map<String, ModelPrice> prices) {
        this(runners, agents, prices, null, null);
    }

    /**
     * Priced models no profile names in its {@code models} (neither as the agent's name nor as the CLI's): a warning,
     * not an error, since the table prices what agents report and an agent may report a name no profile lists (a dated
     * version, your own program's model); but a typo in the table would otherwise go unnoticed until costs look wrong.
     */
    public List<String> priceWarnings() {
        var known = new TreeSet<String>();
        runners.values().forEach(p -> {
            known.addAll(p.models().keySet());
            known.addAll(p.models().values());
        });
        return prices.keySet().stream().filter(m -> !known.contains(m)).sorted()
                .map(m -> "prices['" + m + "']: no runner profile lists this model in its models " + known
                        + "; it prices only usage that agents report under this name").toList();
    }

    /** The price of a model, if the table has it. */
    public Optional<ModelPrice> priceOf(String model) {
        return model == null ? Optional.empty() : Optional.ofNullable(prices.get(model));
    }

    /**
     * A way to run agents: a command ({@code argv}) or an agent API ({@code http}), never both. Limits bound what a
     * plan may ask for: the run time is the phase's timeout capped at {@code max_runtime_minutes}.
     *
     * @param models       the models this profile runs: an agent definition's {@code model} → the CLI's model argument
     *                     ({@code {model}}); any other model is refused. Empty: the model is passed as written.
     * @param defaultModel the key of {@code models} an agent that names no model gets
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Profile(String description, List<String> argv, Map<String, String> env,
            @JsonProperty("env_passthrough") List<String> envPassthrough, @JsonProperty("working_dir") String workingDir,
            Http http, Limits limits, Map<String, String> models, @JsonProperty("default_model") String defaultModel,
            String kind, @JsonProperty("usage_format") String usageFormat) {
        /**
         * A profile that runs nothing: the attempt succeeds as soon as its workspace is ready and its start is
         * announced, with no process and no call (for measuring the engine alone: bench/run --runner noop-in-process).
         * Like every profile, only the operator's runner file can name it.
         */
        public static final String IN_PROCESS_NOOP = "in-process-noop";

        public Profile {
            env = env == null ? Map.of() : Map.copyOf(env);
            envPassthrough = envPassthrough == null ? List.of() : List.copyOf(envPassthrough);
            limits = limits == null ? new Limits(null, null, null) : limits;
            models = models == null ? Map.of() : Map.copyOf(models);
        }

        public Profile(String description, List<String> argv, Map<String, String> env, List<String> envPassthrough,
                String workingDir, Http http, Limits limits, Map<String, String> models, String defaultModel, String kind) {
            this(description, argv, env, envPassthrough, workingDir, http, limits, models, defaultModel, kind, null);
        }

        public Profile(String description, List<String> argv, Map<String, String> env, List<String> envPassthrough,
                String workingDir, Http http, Limits limits) {
            this(description, argv, env, envPassthrough, workingDir, http, limits, null, null, null, null);
        }

        public boolean inProcessNoop() {
            return IN_PROCESS_NOOP.equals(kind);
        }

        public Profile(String description, List<String> argv, Map<String, String> env, List<String> envPassthrough,
                String workingDir) {
            this(description, argv, env, envPassthrough, workingDir, null, null);
        }

        /** The attempt's run time: the phase's timeout, capped by the profile. */
        public long timeoutMs(long phaseTimeoutMs) {
            return limits.maxRuntimeMinutes() == null ? phaseTimeoutMs
                    : Math.min(phaseTimeoutMs, limits.maxRuntimeMinutes() * 60_000L);
        }
    }

    /**
     * An agent API: the phase is POSTed to {@code url}; the answer comes in the response or, after a 202 with a
     * {@code Location}, by polling that location (docs/agents.md). Header values come only from the gateway's
     * environment ({@code headers_from_env}: header name -> variable name), so a token never sits in a file.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Http(String url, @JsonProperty("headers_from_env") Map<String, String> headersFromEnv,
            @JsonProperty("poll_interval_ms") Long pollIntervalMs, @JsonProperty("max_response_bytes") Long maxResponseBytes) {
        public Http {
            headersFromEnv = headersFromEnv == null ? Map.of() : Map.copyOf(headersFromEnv);
            pollIntervalMs = pollIntervalMs == null ? 1_000L : pollIntervalMs;
            maxResponseBytes = maxResponseBytes == null ? 64L << 20 : maxResponseBytes;
        }
    }

    /** Per-profile limits; null means the gateway's default. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    /**
     * A profile's caps: {@code logBytes} on agent.log, {@code outputBytes} on the live output an attempt publishes
     * (a chatty CLI may get more than the gateway's default, a flood-prone one less); null: the gateway's default.
     */
    public record Limits(@JsonProperty("max_runtime_minutes") Integer maxRuntimeMinutes,
            @JsonProperty("log_bytes") Long logBytes, @JsonProperty("output_bytes") Long outputBytes) {
        public Limits(Integer maxRuntimeMinutes, Long logBytes) {
            this(maxRuntimeMinutes, logBytes, null);
        }
    }

    /** The file {@code oe.runners-file} names: relative to the engine's home unless absolute. */
    public static Path locate(String oeHome, String runnersFile) {
        return Path.of(oeHome).resolve(runnersFile).normalize();
    }

    /**
     * Reads and checks the file as the gateway runs agents by it: its programs must be installed here and the
     * variables its headers take must be set. Every problem is reported with the file's name.
     */
    public static RunnerConfig load(Path file) {
        RunnerConfig config = read(file);
        return checked(file, config, config.hostProblems());
    }

    /**
     * Reads and checks the file for what it says, not for this host (the plan-loader's: the programs are the
     * gateway's, not its own).
     */
    public static RunnerConfig read(Path file) {
        RunnerConfig config;
        try {
            config = new ObjectMapper().readValue(file.toFile(), RunnerConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("runner configuration " + file + " cannot be read: " + e.getMessage(), e);
        }
        return checked(file, config, config.problems());
    }

    private static RunnerConfig checked(Path file, RunnerConfig config, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("runner configuration " + file + ": " + String.join("; ", problems));
        }
        return config;
    }

    /** What is wrong with the configuration as written. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (runners == null || runners.isEmpty()) {
            out.add("no runner profiles ('runners')");
            return out;
        }
        runners.forEach((name, p) -> {
            if (p.kind() != null && !p.inProcessNoop()) {
                out.add("profile '" + name + "': unknown kind '" + p.kind() + "' (known: " + Profile.IN_PROCESS_NOOP
                        + "; without a kind: argv or http)");
            } else if (p.inProcessNoop()) {
                if (p.http() != null || p.argv() != null && !p.argv().isEmpty()) {
                    out.add("profile '" + name + "' of kind " + Profile.IN_PROCESS_NOOP + " runs nothing: no argv, no http");
                }
            } else if (p.http() != null) {
                if (p.argv() != null && !p.argv().isEmpty()) {
                    out.add("profile '" + name + "' has both argv and http: choose one");
                }
                out.addAll(httpProblems(name, p.http()));
            } else {
                out.addAll(commandProblems(name, p));
            }
            if (p.limits().maxRuntimeMinutes() != null && p.limits().maxRuntimeMinutes() <= 0) {
                out.add("profile '" + name + "': limits.max_runtime_minutes must be positive");
            }
            if (p.limits().logBytes() != null && p.limits().logBytes() < 1024) {
                out.add("profile '" + name + "': limits.log_bytes must be at least 1024");
            }
            if (p.limits().outputBytes() != null && p.limits().outputBytes() < 1024) {
                out.add("profile '" + name + "': limits.output_bytes must be at least 1024");
            }
            out.addAll(modelProblems(name, p));
            if (p.usageFormat() != null && !USAGE_FORMATS.contains(p.usageFormat())) {
                out.add("profile '" + name + "': unknown usage_format '" + p.usageFormat() + "' (known: " + USAGE_FORMATS + ")");
            }
        });
        prices.forEach((model, price) -> out.addAll(price == null ? List.of("prices['" + model + "'] is empty")
                : price.problems(model)));
        if (budgetCeiling != null) {
            out.addAll(budgetCeiling.problems("budget_ceiling"));
            if (budgetCeiling.phases() != null) {
                out.add("budget_ceiling.phases: a ceiling bounds every phase alike ('phase'), not phases one by one");
            }
        }
        if (agents == null || agents.isEmpty()) {
            out.add("no agent mapping ('agents'; use \"*\" for a default profile)");
        } else {
            agents.forEach((agent, profile) -> {
                if (!runners.containsKey(profile)) {
                    out.add("agent '" + agent + "' maps to unknown profile '" + profile + "'");
                }
            });
        }
        out.addAll(limits.problems(agents == null ? java.util.Set.of() : agents.keySet(), runners.keySet()));
        return out;
    }

    /**
     * How a profile's CLI prints its usage, besides the {@code ::usage::} lines every agent may print: claude-json
     * (Claude Code's {@code --output-format json} or {@code stream-json} result), codex-jsonl (Codex's {@code exec
     * --json} events). docs/agents.md says what each CLI reports.
     */
    public static final List<String> USAGE_FORMATS = List.of("claude-json", "codex-jsonl");

    private static List<String> commandProblems(String name, Profile p) {
        List<String> out = new ArrayList<>();
        if (p.argv() == null || p.argv().isEmpty()) {
            out.add("profile '" + name + "' has neither argv nor http");
            return out;
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
        }
        return out;
    }

    private static List<String> modelProblems(String name, Profile p) {
        List<String> out = new ArrayList<>();
        p.models().forEach((model, argument) -> {
            if (argument == null || argument.isBlank()) {
                out.add("profile '" + name + "': model '" + model + "' maps to no model argument");
            }
        });
        if (p.defaultModel() != null && !p.models().containsKey(p.defaultModel())) {
            out.add("profile '" + name + "': default_model '" + p.defaultModel() + "' is not one of its models "
                    + p.models().keySet().stream().sorted().toList());
        }
        return out;
    }

    /**
     * What keeps the gateway on this host from running the profiles: a program that is not installed, a header whose
     * variable is not set. Checked where agents run, at start, so that a missing CLI is named then, not at run time.
     */
    public List<String> hostProblems() {
        List<String> out = new ArrayList<>(problems());
        runners.forEach((name, p) -> {
            if (p.http() != null) {
                p.http().headersFromEnv().forEach((header, variable) -> {
                    if (System.getenv(variable) == null) {
                        out.add("profile '" + name + "': header " + header + " takes its value from " + variable
                                + ", which is not set in the gateway's environment");
                    }
                });
            } else if (p.argv() != null && !p.argv().isEmpty() && !p.argv().get(0).contains("{")
                    && findExecutable(p.argv().get(0)).isEmpty()) {
                out.add("profile '" + name + "': program '" + p.argv().get(0) + "' not found or not executable");
            }
        });
        return out;
    }

    private static List<String> httpProblems(String name, Http h) {
        List<String> out = new ArrayList<>();
        try {
            URI uri = new URI(h.url() == null ? "" : h.url());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                out.add("profile '" + name + "': http.url '" + h.url() + "' must be an absolute http or https URL");
            }
        } catch (URISyntaxException e) {
            out.add("profile '" + name + "': http.url is not a URL: " + e.getMessage());
        }
        if (h.pollIntervalMs() < 50) {
            out.add("profile '" + name + "': http.poll_interval_ms must be at least 50");
        }
        return out;
    }

    /**
     * The profile for an agent: the operator's mapping for that agent, else the profile its definition asks for
     * ({@code runner:} in the front matter; only a configured name can be chosen), else the default {@code "*"}.
     *
     * @throws IllegalArgumentException naming the problem when no configured profile applies
     */
    public Profile profileFor(String agent, String requested) {
        return runners.get(profileNameFor(agent, requested));
    }

    /** The name of the profile {@link #profileFor} chooses. */
    public String profileNameFor(String agent, String requested) {
        String name = agents.get(agent);
        if (name == null && requested != null) {
            if (!runners.containsKey(requested)) {
                throw new IllegalArgumentException("agent " + agent + " asks for runner profile '" + requested
                        + "', which the gateway's runner configuration does not define (defined: "
                        + new TreeSet<>(runners.keySet()) + ")");
            }
            name = requested;
        }
        if (name == null) {
            name = agents.get("*");
        }
        if (name == null) {
            throw new IllegalArgumentException("no runner profile for agent " + agent
                    + " in the gateway's runner configuration (no mapping and no \"*\" default)");
        }
        return name;
    }

    /**
     * What {@code {model}} becomes for an agent: the profile's model argument for the model its definition names (or
     * for the profile's {@code default_model} when it names none); the model as written when the profile keeps no
     * model map.
     *
     * @param requestedRunner the definition's {@code runner:}, or null
     * @param model           the definition's {@code model:}, or null
     * @throws IllegalArgumentException naming the agent, the model, the profile and the models it runs, when the
     *                                  profile cannot run the agent
     */
    public String modelFor(String agent, String requestedRunner, String model) {
        String name = profileNameFor(agent, requestedRunner);
        Map<String, String> models = runners.get(name).models();
        if (models.isEmpty()) {
            return model == null ? "" : model;
        }
        String wanted = model != null && !model.isBlank() ? model : runners.get(name).defaultModel();
        if (wanted == null) {
            throw new IllegalArgumentException("agent " + agent + " names no model, and runner profile '" + name
                    + "' has no default_model (it runs: " + String.join(", ", new TreeSet<>(models.keySet())) + ")");
        }
        String argument = models.get(wanted);
        if (argument == null) {
            throw new IllegalArgumentException("agent " + agent + " asks for model '" + wanted + "', which runner profile '"
                    + name + "' cannot run (it runs: " + String.join(", ", new TreeSet<>(models.keySet())) + ")");
        }
        return argument;
    }

    /**
     * The limits an attempt of the agent takes a seat of ({@link ConcurrencyLimits#limitsOf}), in the fixed order; empty
     * when neither the agent nor its profile is capped, or when no profile applies (the gateway then refuses the agent).
     */
    public List<String> limitsFor(String agent, String requestedRunner) {
        if (limits.isEmpty()) {
            return List.of();
        }
        String profile;
        try {
            profile = profileNameFor(agent, requestedRunner);
        } catch (IllegalArgumentException e) {
            profile = null;
        }
        return limits.limitsOf(agent, profile);
    }

    public Optional<Profile> profileFor(String agent) {
        try {
            return Optional.of(profileFor(agent, null));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
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

    public static Optional<Path> findExecutable(String program) {
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
