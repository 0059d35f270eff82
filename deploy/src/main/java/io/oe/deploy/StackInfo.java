package io.oe.deploy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What a local stack is: the content of {@code <stack dir>/stack.json}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StackInfo {
    public static final String FILE = "stack.json";

    /** {@link LocalStack.Mode}: "standalone" (one process) or "separate" (a broker and six service processes). */
    public String mode;
    public String home;
    public String root;
    /** The agent-gateway's runner configuration (trusted: chosen by whoever started the stack). */
    public String runnersFile;
    public String stackDir;
    public String bootstrapServers;
    /** Extra environment the stack's processes were started with (a test's settings): a restart keeps it. */
    public Map<String, String> env = new LinkedHashMap<>();
    /** The file holding the write endpoints' bearer token (mode 600). */
    public String apiTokenFile;
    public long startedAt;
    /** The broker process this stack started; null when it uses an external broker or runs standalone. */
    public Proc broker;
    /** The processes by name: the six services (separate), or the one "standalone" process. */
    public Map<String, Proc> services = new LinkedHashMap<>();

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Proc {
        public long pid;
        /** The process's start instant (epoch ms): a recycled pid is never mistaken for ours. */
        public long startMillis;
        public int port;
        public Integer controllerPort;
        public String url;
        public String log;

        public Optional<ProcessHandle> handle() {
            return Processes.find(pid, startMillis);
        }

        public boolean alive() {
            return handle().isPresent();
        }
    }

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Where a service answers: its own process, or the standalone process that hosts it. */
    public String url(String service) {
        Proc p = services.containsKey(service) ? services.get(service) : services.get(LocalStack.STANDALONE);
        return p == null ? null : p.url;
    }

    public boolean standalone() {
        return LocalStack.Mode.STANDALONE.label().equals(mode) || services.containsKey(LocalStack.STANDALONE);
    }

    /** True when every recorded process is still running. */
    public boolean allAlive() {
        return (broker == null || broker.alive()) && services.values().stream().allMatch(Proc::alive);
    }

    public boolean anyAlive() {
        return (broker != null && broker.alive()) || services.values().stream().anyMatch(Proc::alive);
    }

    public static Optional<StackInfo> read(Path stackDir) {
        Path f = stackDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), StackInfo.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    public void write(Path stackDir) {
        try {
            Files.createDirectories(stackDir);
            Path tmp = stackDir.resolve(FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, stackDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + stackDir.resolve(FILE), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
