package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Packs the bundle {@code POST /api/v1/executions} takes, from a plan file and its directory: the plan, the project
 * plan, the engine config (if any), every contract a phase's output names, every {@code .agent.md} of an agent the
 * plan names. Files that are missing are left out and listed in {@link Packed#missing()}: the plan-loader is the
 * authority on whether that is an error.
 */
public final class BundlePacker {
    private static final Pattern AGENT = Pattern.compile("@([A-Za-z0-9][A-Za-z0-9_.-]{0,63})");

    private BundlePacker() {
    }

    public record Packed(ObjectNode bundle, Path projectDir, List<String> missing) {
    }

    public static Packed pack(Path planFile, Path projectPlanFile, Path configFile, boolean autostart) {
        Path plan = planFile.toAbsolutePath().normalize();
        Path dir = plan.getParent();
        JsonNode planJson = Json.readFile(plan, "orchestration plan");
        Path pp = projectPlanFile != null ? projectPlanFile.toAbsolutePath().normalize()
                : dir.resolve("ProjectPlan/project-plan.json");
        JsonNode projectPlan = Json.readFile(pp, "project plan");
        JsonNode config = null;
        if (configFile != null) {
            config = Json.readFile(configFile.toAbsolutePath().normalize(), "engine config");
        } else if (Files.isRegularFile(dir.resolve("engine.config.json"))) {
            config = Json.readFile(dir.resolve("engine.config.json"), "engine config");
        }

        List<String> missing = new ArrayList<>();
        TreeMap<String, String> contracts = new TreeMap<>();
        TreeMap<String, String> agents = new TreeMap<>();
        for (JsonNode phase : planJson.path("phases")) {
            for (JsonNode out : phase.path("outputs")) {
                String contract = out.path("contract").asText(null);
                if (contract == null || contract.isBlank() || contracts.containsKey(contract)) {
                    continue;
                }
                readInside(dir, contract).ifPresentOrElse(text -> contracts.put(contract, text),
                        () -> missing.add("phase " + phase.path("id").asText("?") + ": contract " + contract
                                + " not found in " + dir));
            }
            Matcher m = AGENT.matcher(phase.path("agent").asText(""));
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
        return new Packed(bundle, dir, missing);
    }

    /** The text of {@code rel} under {@code dir}, if it is a regular file that stays inside {@code dir}. */
    static java.util.Optional<String> readInside(Path dir, String rel) {
        try {
            Path p = Path.of(rel);
            if (p.isAbsolute()) {
                return java.util.Optional.empty();
            }
            Path f = dir.resolve(p).normalize();
            if (!f.startsWith(dir) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Files.readString(f, StandardCharsets.UTF_8));
        } catch (java.nio.file.InvalidPathException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
