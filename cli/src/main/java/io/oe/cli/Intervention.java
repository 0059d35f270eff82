package io.oe.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.scheduler.Feedback;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A person's commands on a running execution. Each becomes an event on execution-control (audited, replayable);
 * the plan-loader refuses one that does not apply, naming why, and then publishes nothing.
 */
public final class Intervention {
    private Intervention() {
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        Context ctx;

        @Option(names = "--execution-id", required = true, paramLabel = "ID")
        String executionId;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in the audit trail).")
        String reason;

        abstract String command();

        Integer phase() {
            return null;
        }

        @Override
        public Integer call() {
            ObjectNode cmd = Json.MAPPER.createObjectNode();
            cmd.put("command", command());
            if (phase() != null) {
                cmd.put("phase_id", phase());
            }
            cmd.put("actor", "cli:" + System.getProperty("user.name", "unknown"));
            if (reason != null) {
                cmd.put("reason", reason);
            }
            addTo(cmd);
            Api api = ctx.api();
            Api.Response r = api.command(executionId, cmd);
            if (!r.ok()) {
                throw new CliException(Api.errorOf(command() + " " + executionId, r),
                        r.status() >= 400 && r.status() < 500 ? CliException.REJECTED : CliException.FAILED);
            }
            System.out.println(ctx.json ? Json.pretty(r.json()) : command().toLowerCase() + " accepted for execution "
                    + executionId + (phase() == null ? "" : " phase " + phase()));
            return accepted(api, r);
        }

        /** The command's own fields, beyond command, phase, actor and reason. */
        void addTo(ObjectNode cmd) {
        }

        /** What to do once the command is on execution-control: the exit code. */
        int accepted(Api api, Api.Response r) {
            return 0;
        }
    }

    abstract static class PhaseBase extends Base {
        @Option(names = "--phase", required = true, paramLabel = "N")
        int phase;

        @Override
        Integer phase() {
            return phase;
        }
    }

    @Command(name = "retry", description = "Run a phase whose retries ran out again (attempt numbers continue; the retry budget starts afresh).")
    public static class Retry extends PhaseBase {
        String command() {
            return "RETRY";
        }
    }

    @Command(name = "skip", description = "Mark a pending or stuck phase skipped; its dependants follow the skip rules.")
    public static class Skip extends PhaseBase {
        String command() {
            return "SKIP";
        }
    }

    @Command(name = "approve", description = "Let a phase marked \"approval\": true start.")
    public static class Approve extends PhaseBase {
        String command() {
            return "APPROVE";
        }
    }

    @Command(name = "rerun", description = "Run a phase again, in an execution that is running, waits, or has ended:"
            + " it goes back to pending and runs as a new attempt, reusing what the phases it needs handed over; phases"
            + " not rerun keep their results. The feedback (at most 16 KiB) reaches the agent's prompt with the"
            + " previous outputs.")
    public static class Rerun extends PhaseBase {
        @Option(names = "--with-dependants", description = "Rerun every phase that needs this one too (directly, through"
                + " its inputs or through the tier order).")
        boolean withDependants;

        @ArgGroup(exclusive = true)
        FeedbackSource feedback;

        static final class FeedbackSource {
            @Option(names = "--feedback", paramLabel = "TEXT", description = "What the agent should do differently.")
            String text;

            @Option(names = "--feedback-file", paramLabel = "FILE", description = "The feedback, read from a UTF-8 file.")
            Path file;
        }

        @Option(names = "--wait", description = "Then follow the execution until it ends or waits for a person (exit"
                + " code as `oe wait`).")
        boolean await;

        @Option(names = "--timeout-seconds", defaultValue = "3600", description = "With --wait (default ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        String command() {
            return "RERUN";
        }

        @Override
        void addTo(ObjectNode cmd) {
            cmd.put("with_dependants", withDependants);
            String text = feedbackText();
            if (text != null) {
                Feedback.tooLarge(text).ifPresent(why -> {
                    throw new CliException(why + (feedback.file != null ? " (" + feedback.file + ")" : "")
                            + "; nothing was sent", CliException.REJECTED);
                });
                cmd.put("feedback", text);
            }
        }

        private String feedbackText() {
            if (feedback == null) {
                return null;
            }
            if (feedback.file == null) {
                return feedback.text;
            }
            try {
                return Files.readString(feedback.file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException("cannot read the feedback file " + feedback.file + ": " + e.getMessage()
                        + "; nothing was sent", CliException.REJECTED);
            }
        }

        @Override
        int accepted(Api api, Api.Response r) {
            if (!await) {
                return 0;
            }
            String at = r.json() == null ? "" : r.json().path("at").asText("");
            return Progress.follow(ctx, api, executionId, Duration.ofSeconds(timeoutSeconds),
                    at.isEmpty() ? Instant.now() : Instant.parse(at));
        }
    }

    @Command(name = "pause", description = "Start no new phase; running ones finish.")
    public static class Pause extends Base {
        String command() {
            return "PAUSE";
        }
    }

    @Command(name = "resume", description = "Undo pause.")
    public static class Resume extends Base {
        String command() {
            return "RESUME";
        }
    }

    @Command(name = "cancel", description = "Cancel the whole execution; running agents are stopped.")
    public static class Cancel extends Base {
        String command() {
            return "CANCEL";
        }
    }
}
