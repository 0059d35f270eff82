package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.api.TooLarge;
import io.oe.core.plan.PlanBundle;
import io.oe.core.plan.PlanValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Packs the bundle {@code POST /api/v1/executions} takes, from a project directory: the plan, the project plan, the
 * engine config (if any), every contract a phase names, every {@code .agent.md} of an agent the plan names. The
 * project directory is the engine config's directory (given, or {@code engine.config.json} beside the plan), else the
 * plan's; the config's {@code orchestration_plan_path} and {@code project_plan_path} are relative to it (the seed's
 * {@code tee-output/orchestration-plan.json}), and an explicit file overrides its key. Files that are missing are
 * left out and listed in {@link Packed#missing()}: the plan-loader is the authority on whether that is an error. A
 * bundle over the plan-loader's body limit ({@link PlanBundle#MAX_BYTES}) is refused here, in the plan-loader's
 * words, rather than sent: a server that refuses a body it will not read may close the connection before the client
 * reads why.
 */
public final class BundlePacker {
    private static final Pattern AGENT = Pattern.compile("@([A-Za-z0-9][A-Za-z0-9_.-]{0,63})");

    private BundlePacker() {
    }

    public record Packed(ObjectNode bundle, Path projectDir, List<String> missing) {
    }

    /**
     * @param planFile        the orchestration plan, or null to take the config's {@code orchestration_plan_path}
     * @param projectPlanFile the project plan, or null to take the config's {@code project_plan_path}
     * @param configFile      engine.config.json, or null to take the one beside the plan if there is one
     */
    public static Packed pack(Path planFile, Path projectPlanFile, Path configFile, boolean autostart) {
        if (planFile == null && configFile == null) {
            throw new CliException("no plan: give --orchestration-plan FILE, or --config FILE whose "
                    + ConfigPaths.PLAN_KEY + " names it", CliException.REJECTED);
        }
        Path configPath = configFile != null ? absolute(configFile) : besidePlan(absolute(planFile));
        JsonNode config = configPath == null ? null : readJson(configPath, "the engine config");
        Path dir = configPath != null ? configPath.getParent() : absolute(planFile).getParent();
        ConfigPaths paths = new ConfigPaths(config, configPath, dir);
        Path plan = planFile != null ? absolute(planFile) : paths.plan();
        JsonNode planJson = readJson(plan, "the orchestration plan", paths.source(planFile, ConfigPaths.PLAN_KEY));
        Path pp = projectPlanFile != null ? absolute(projectPlanFile) : paths.projectPlan();
        JsonNode projectPlan = readJson(pp, "the project plan", paths.source(projectPlanFile, ConfigPaths.PROJECT_PLAN_KEY));

        List<String> missing = new ArrayList<>();
        TreeMap<String, String> contracts = new TreeMap<>();
        TreeMap<String, String> agents = new TreeMap<>();
        for (JsonNode phase : planJson.path("phases")) {
            List<JsonNode> named = new ArrayList<>(); // outputs' contracts, and inputs' for a converted form
            phase.path("outputs").forEach(named::add);
            phase.path("inputs").forEach(named::add);
            for (JsonNode file : named) {
                String contract = file.path("contract").asText(null);
                if (contract == null || contract.isBlank() || contracts.containsKey(contract)) {
                    continue;
                }
                readInside(dir, contract).ifPresentOrElse(text -> contracts.put(contract, text),
                        () -> missing.add("phase " + phase.path("id").asText("?") + ": contract " + contract
                                + " not found in " + dir));
            }
            StringBuilder refs = new StringBuilder(phase.path("agent").asText("")); // its agent, or its alternatives'
            phase.path("alternatives").forEach(alt -> refs.append(' ').append(alt.path("agent").asText("")));
            Matcher m = AGENT.matcher(refs);
            while (m.find()) {
                String name = m.group(1);
                if (agents.containsKey(name)) {
                    continue;
                }
                String rel = ".github/agents/" + name + ".agent.md";
                readInside(dir, rel).ifPresentOrElse(text -> agents.put(name, text),
                        () -> missing.add("phase " + phase.path("id").asText("?") + ": agent @" + name
                                + " has no definition " + rel));
            }
        }

        ObjectNode bundle = Json.MAPPER.createObjectNode();
        bundle.put("project_dir", dir.toString());
        bundle.set("plan", planJson);
        bundle.set("project_plan", projectPlan);
        if (config != null) {
            bundle.set("config", config);
        }
        ObjectNode c = bundle.putObject("contracts");
        contracts.forEach(c::put);
        ObjectNode a = bundle.putObject("agents");
        agents.forEach(a::put);
        bundle.put("autostart", autostart);
        int size = Json.compact(bundle).length;
        if (size > PlanBundle.MAX_BYTES) {
            throw tooLarge(TooLarge.sentence("the plan bundle", size, PlanBundle.MAX_BYTES));
        }
        return new Packed(bundle, dir, missing);
    }

    private static Path absolute(Path file) {
        return file.toAbsolutePath().normalize();
    }

    private static Path besidePlan(Path plan) {
        Path config = plan.resolveSibling(PlanValidator.CONFIG_FILE);
        return Files.isRegularFile(config) ? config : null;
    }

    private static JsonNode readJson(Path file, String what) {
        checkSize(file, what);
        return Json.readFile(file, what.replaceFirst("^the ", ""));
    }

    /**
     * A file that alone is over the bundle's limit is refused before it is read. {@code source}: where its path came
     * from, said when it is not there (" (orchestration_plan_path in …/engine.config.json)").
     */
    private static JsonNode readJson(Path file, String what, String source) {
        String name = what.replaceFirst("^the ", "");
        if (!Files.isRegularFile(file)) {
            throw new CliException(name + " not found: " + file + source, CliException.REJECTED);
        }
        checkSize(file, what);
        return Json.readFile(file, name);
    }

    private static void checkSize(Path file, String what) {
        try {
            long size = Files.isRegularFile(file) ? Files.size(file) : 0;
            if (size > PlanBundle.MAX_BYTES) {
                throw tooLarge(TooLarge.sentence(what + " " + file, size, PlanBundle.MAX_BYTES));
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    private static CliException tooLarge(String sentence) {
        return new CliException(sentence + " (the plan-loader's limit for a whole plan bundle): split the plan, or shorten"
                + " its texts, contracts or agent definitions", CliException.REJECTED);
    }

    /** The text of {@code rel} under {@code dir}, if it is a regular file that stays inside {@code dir}. */
    static Optional<String> readInside(Path dir, String rel) {
        try {
            Path p = Path.of(rel);
            if (p.isAbsolute()) {
                return Optional.empty();
            }
            Path f = dir.resolve(p).normalize();
            if (!f.startsWith(dir) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            checkSize(f, "the file");
            return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
        } catch (InvalidPathException e) {
            return Optional.empty();
        } catch (IOException e) { // e.g. AccessDeniedException, whose message is only the path
            throw new CliException("cannot read " + dir.resolve(rel) + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e.getMessage().endsWith(rel) ? "" : ": " + e.getMessage()) + ")");
        }
    }
}
