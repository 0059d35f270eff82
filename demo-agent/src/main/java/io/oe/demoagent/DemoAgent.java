package io.oe.demoagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.sample.SampleOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The demo's agent: reads the phase file the gateway wrote (docs/agents.md), checks its inputs and the project
 * specification are there, reports its tasks with the progress protocol, and writes every output so that it satisfies
 * its contract (a {@code .yaml} output as YAML; engine-core's {@code SampleOutputs}, which the gateway's dry run uses too). It takes about a
 * second (OE_DEMO_DELAY_MS). For tests it can fail on purpose: OE_DEMO_FAIL_ATTEMPTS=N exits 1 on attempts 1..N,
 * OE_DEMO_BREAK_CONTRACT_ATTEMPTS=N writes outputs that break their contracts on attempts 1..N, and
 * OE_DEMO_FAIL_IF_EXISTS=FILE exits 1 while that file exists; a failing attempt first starts its first task (35 %).
 * OE_DEMO_WAIT_FOR=FILE keeps it running, its work done, until that file exists (a test's gate: the run cannot end
 * before the test says so).
 */
public final class DemoAgent {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DemoAgent() {
    }

    public static void main(String[] args) throws Exception {
        String phaseFile = args.length > 0 ? args[0] : System.getenv("OE_PHASE_FILE");
        if (phaseFile == null) {
            System.err.println("usage: demo-agent <phase.json> (or set OE_PHASE_FILE)");
            System.exit(2);
        }
        System.exit(run(JSON.readTree(Path.of(phaseFile).toFile()), System.getenv()));
    }

    static int run(JsonNode phase, Map<String, String> env) throws IOException, InterruptedException {
        int attempt = phase.path("attempt").asInt(1);
        String name = phase.path("phase_name").asText();
        String agent = phase.path("agent").asText();
        long delay = Long.parseLong(env.getOrDefault("OE_DEMO_DELAY_MS", "1000"));
        if (!phase.path("previous_error").isMissingNode() && !phase.path("previous_error").isNull()) {
            System.out.println("previous attempt failed: " + phase.get("previous_error").asText().lines().findFirst().orElse(""));
        }
        Map<String, String> read = new HashMap<>();
        for (JsonNode in : phase.path("inputs")) {
            Path p = Path.of(in.path("path").asText());
            if (!Files.isRegularFile(p)) {
                System.err.println("input " + in.path("artifact").asText() + " missing at " + p);
                return 3;
            }
            read.put(in.path("artifact").asText(), sha256(Files.readAllBytes(p)));
        }
        for (JsonNode spec : phase.path("specification")) {
            if (!Files.isRegularFile(Path.of(spec.path("path").asText()))) {
                System.err.println("specification " + spec.path("file").asText() + " missing at " + spec.path("path").asText());
                return 3;
            }
        }
        String failIf = env.get("OE_DEMO_FAIL_IF_EXISTS");
        String failure = failIf != null && Files.exists(Path.of(failIf)) ? agent + ": failing on purpose while " + failIf
                + " exists" : attempt <= Integer.parseInt(env.getOrDefault("OE_DEMO_FAIL_ATTEMPTS", "0"))
                ? agent + ": simulated failure on attempt " + attempt : null;
        var tasks = phase.path("tasks");
        if (failure != null && tasks.size() == 0) {
            System.err.println(failure);
            return 1;
        }
        long perStep = tasks.size() == 0 ? delay : delay / (tasks.size() * 3L);
        for (JsonNode t : tasks) {
            String id = t.path("id").asText();
            System.out.println("::task-started " + id + "::");
            for (int pct : new int[] {35, 70}) {
                Thread.sleep(perStep);
                System.out.println("::progress task=" + id + " percent=" + pct + "::");
                if (failure != null) { // fails in the middle of its first task, as a real agent would
                    System.out.flush();
                    System.err.println(failure);
                    return 1;
                }
            }
            Thread.sleep(perStep);
            System.out.println("::task-completed " + id + "::");
        }
        if (tasks.size() == 0) {
            Thread.sleep(delay);
        }
        String waitFor = env.get("OE_DEMO_WAIT_FOR");
        if (waitFor != null && !Files.exists(Path.of(waitFor))) {
            System.out.println("waiting for " + waitFor);
            while (!Files.exists(Path.of(waitFor))) {
                Thread.sleep(100);
            }
        }
        boolean breakContract = attempt <= Integer.parseInt(env.getOrDefault("OE_DEMO_BREAK_CONTRACT_ATTEMPTS", "0"));
        List<Map.Entry<String, String>> taskList = new ArrayList<>();
        tasks.forEach(t -> taskList.add(Map.entry(t.path("id").asText(), t.path("title").asText())));
        var writer = new SampleOutputs.Writer(name, agent, phase.path("project_name").asText(""), attempt, taskList);
        for (JsonNode out : phase.path("outputs")) {
            Path target = Path.of(out.path("path").asText());
            String artifact = out.path("artifact").asText();
            JsonNode contract = out.hasNonNull("contract") && Files.isRegularFile(Path.of(out.get("contract").asText()))
                    ? JSON.readTree(Path.of(out.get("contract").asText()).toFile()) : null;
            if (!breakContract && (read.isEmpty() || !SampleOutputs.isDocument(artifact))) {
                SampleOutputs.write(target, artifact, contract, writer);
            } else if (!SampleOutputs.isDocument(artifact)) {
                Files.createDirectories(target.getParent());
                Files.writeString(target, SampleOutputs.text(writer, false));
            } else {
                JsonNode doc = SampleOutputs.document(contract, writer);
                if (doc.isObject()) {
                    ObjectNode o = (ObjectNode) doc;
                    if (breakContract) {
                        o.remove("produced_by");
                    } else if (contract == null || !contract.path("additionalProperties").isBoolean()) {
                        o.set("x_inputs_sha256", JSON.valueToTree(read)); // shows which inputs it read
                    }
                }
                SampleOutputs.writeDocument(target, artifact, doc);
            }
            System.out.println("wrote " + target.getFileName());
        }
        return 0;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
