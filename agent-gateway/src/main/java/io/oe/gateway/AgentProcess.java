package io.oe.gateway;

import io.oe.events.OutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one agent process: argv (never a shell), a clean environment, stdout and stderr both into the attempt's log
 * (size-capped) and its live output, progress lines reported as they come, a timeout that stops the whole process tree.
 */
final class AgentProcess {
    interface Listener {
        void progress(ProgressLine line);
    }

    record Outcome(Integer exitCode, boolean timedOut, String error, String outputTail) {
        boolean success() {
            return !timedOut && error == null && exitCode != null && exitCode == 0;
        }
    }

    private static final int TAIL_BYTES = 4096;

    private final long logCapBytes;

    AgentProcess(long logCapBytes) {
        this.logCapBytes = logCapBytes;
    }

    /** {@code log}: the attempt's agent.log, opened by the gateway ({@link Workspace#createLog}); never reopened by name. */
    Outcome run(List<String> argv, Map<String, String> env, Path workingDir, FileChannel log, Duration timeout,
            Listener listener, Consumer<Process> spawned) throws InterruptedException {
        return run(argv, env, workingDir, log, timeout, listener, spawned, CliUsage.NONE);
    }

    /** {@code cliUsage}: how the profile's CLI prints its usage, besides ::usage:: lines. */
    Outcome run(List<String> argv, Map<String, String> env, Path workingDir, FileChannel log, Duration timeout,
            Listener listener, Consumer<Process> spawned, CliUsage cliUsage) throws InterruptedException {
        return run(argv, env, workingDir, log, timeout, listener, spawned, cliUsage, null);
    }

    /** {@code output}: where the attempt's live output goes (agent-output), or null. */
    Outcome run(List<String> argv, Map<String, String> env, Path workingDir, FileChannel log, Duration timeout,
            Listener listener, Consumer<Process> spawned, CliUsage cliUsage, OutputChunker output) throws InterruptedException {
        // stdout and stderr apart, so that live output says which is which; agent.log still gets both, line by line
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workingDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new Outcome(null, false, "could not start " + argv.get(0) + ": " + e.getMessage(), null);
        }
        spawned.accept(process);
        try {
            process.getOutputStream().close(); // agents get no stdin
        } catch (IOException ignored) {
            // already closed
        }
        Secrets secrets = Secrets.of(env);
        AgentLog agentLog = new AgentLog(log, logCapBytes);
        Thread stdout = pumping(process.getInputStream(), OutputStream.STDOUT, agentLog, listener, secrets, cliUsage, output);
        Thread stderr = pumping(process.getErrorStream(), OutputStream.STDERR, agentLog, listener, secrets, cliUsage, output);
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            stopTree(process); // the gateway is shutting down: leave no agent behind
            throw e;
        }
        if (!finished) {
            stopTree(process);
        }
        long readersDeadline = System.currentTimeMillis() + 5_000; // a descendant may hold a pipe open: wait no longer
        stdout.join(5_000);
        stderr.join(Math.max(1, readersDeadline - System.currentTimeMillis()));
        String tail = tail(log);
        if (!finished) {
            String how = process.isAlive() ? "" : " (" + describe(process.exitValue()) + ")";
            return new Outcome(null, true, "timed out after " + duration(timeout) + "; process tree stopped" + how, tail);
        }
        int code = process.exitValue();
        return new Outcome(code, false, code == 0 ? null : "exited with " + describe(code), tail);
    }

    /** "600 ms" below ten seconds, else "42 s". */
    static String duration(Duration d) {
        return d.toMillis() < 10_000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT",
            9, "SIGKILL", 11, "SIGSEGV", 13, "SIGPIPE", 14, "SIGALRM", 15, "SIGTERM");

    /**
     * The JDK reports a process killed by signal N as exit value 128+N (as shells do), so the two are told apart
     * only by range; the text says both.
     */
    static String describe(int code) {
        if (code > 128 && code < 160) {
            int n = code - 128;
            return "code " + code + " (killed by signal " + n + (SIGNALS.containsKey(n) ? ", " + SIGNALS.get(n) : "") + ")";
        }
        return "code " + code;
    }

    /** Stops the process and every descendant: a polite TERM, then KILL for what is left. */
    static void stopTree(Process process) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.currentTimeMillis() + 2_000;
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        all.forEach(h -> {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        });
        try {
            process.waitFor(2, TimeUnit.SECONDS); // reap: no zombie
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The longest piece of a line read at once: a line without end costs this much memory, not its length. */
    static final int MAX_LINE_CHARS = 64 * 1024;

    private Thread pumping(InputStream in, OutputStream stream, AgentLog log, Listener listener, Secrets secrets,
            CliUsage cliUsage, OutputChunker output) {
        Thread t = new Thread(() -> pump(in, stream, log, listener, secrets, cliUsage, output),
                "agent-" + stream.name().toLowerCase(Locale.ROOT));
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * One of the agent's streams, line by line (pieces of {@link #MAX_LINE_CHARS} for longer ones), into its log and
     * live output (secrets redacted, control characters neutralised, both capped); progress and usage lines reported.
     */
    private static void pump(InputStream stream, OutputStream which, AgentLog log, Listener listener, Secrets secrets,
            CliUsage cliUsage, OutputChunker output) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (var in = new InputStreamReader(stream, decoder)) {
            LineReader lines = new LineReader(in, MAX_LINE_CHARS, secrets);
            LineReader.Piece piece;
            while ((piece = lines.next()) != null) {
                String redacted = secrets.redact(piece.text()); // a refused usage line is quoted in events: never a secret
                if (piece.endsLine()) {
                    ProgressLine.parse(redacted).ifPresent(listener::progress);
                    cliUsage.read(redacted).forEach(u -> listener.progress(ProgressLine.ofUsage(u)));
                }
                String text = ProgressLine.sanitize(redacted) + (piece.endsLine() ? "\n" : "");
                log.write(text);
                if (output != null) {
                    output.append(which, text, System.currentTimeMillis());
                }
            }
        } catch (IOException e) {
            // the process went away; what was read is in the log
        }
    }

    /** The attempt's agent.log, written by both streams' readers, a line at a time, up to its cap. */
    private static final class AgentLog {
        private final FileChannel log;
        private final long cap;
        private long written;
        private boolean capped;

        AgentLog(FileChannel log, long cap) {
            this.log = log;
            this.cap = cap;
        }

        synchronized void write(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (written + bytes.length <= cap) {
                AgentProcess.write(log, bytes);
                written += bytes.length;
            } else if (!capped) {
                AgentProcess.write(log, ("[agent.log capped at " + cap + " bytes]\n").getBytes(StandardCharsets.UTF_8));
                capped = true;
            }
        }
    }

    private static void write(FileChannel log, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            log.write(b);
        }
    }

    /** The end of a log the gateway holds open (positional reads: the writer's position is left alone). */
    static String tail(FileChannel log) {
        try {
            long size = log.size();
            long start = Math.max(0, size - TAIL_BYTES);
            ByteBuffer b = ByteBuffer.allocate((int) (size - start));
            while (b.hasRemaining() && log.read(b, start + b.position()) > 0) {
                // read on until the buffer is full
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** The end of a log by path: for the HTTP runner, whose log is written by path (a remote agent has no files here). */
    static String tail(Path log) {
        try (FileChannel f = FileChannel.open(log, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return tail(f);
        } catch (IOException e) {
            return null;
        }
    }
}
