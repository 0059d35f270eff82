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

    /** A phase command after which a script may follow the execution ({@code --wait}), as {@code oe wait} does. */
    abstract static class FollowingPhaseBase extends PhaseBase {
        @Option(names = "--wait", description = "Then follow the execution until it ends or waits for a person (exit"
                + " code as `oe wait`).")
        boolean await;

        @Option(names = "--timeout-seconds", defaultValue = "3600", description = "With --wait (default ${DEFAULT-VALUE}).")
        long timeoutSeconds;

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
    public static class Rerun extends FollowingPhaseBase {
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

        String command() {
            return "RERUN";
        }

        @Override
        void addTo(ObjectNode cmd) {
            cmd.put("with_dependants", withDependants);
            String text = feedbackText(feedback);
            if (text != null) {
                cmd.put("feedback", text);
            }
        }

        /** The feedback's text, from the option or its file, refused over {@link Feedback#MAX_BYTES}; null if none. */
        static String feedbackText(FeedbackSource feedback) {
            if (feedback == null) {
                return null;
            }
            String text;
            if (feedback.file == null) {
                text = feedback.text;
            } else {
                try {
                    text = Files.readString(feedback.file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new CliException("cannot read the feedback file " + feedback.file + ": " + e.getMessage()
                            + "; nothing was sent", CliException.REJECTED);
                }
            }
            Feedback.tooLarge(text).ifPresent(why -> {
                throw new CliException(why + (feedback.file != null ? " (" + feedback.file + ")" : "")
                        + "; nothing was sent", CliException.REJECTED);
            });
            return text;
        }

    }

    @Command(name = "review", description = "Decide on the outputs of a phase waiting_for_review (\"review\": true in"
            + " the plan, or review_outputs in engine.config.json): approve them (the phase completes), reject them with"
            + " feedback (the phase runs again, the feedback in its agent's prompt), or replace one with an edited file"
            + " of the project (it must pass the output's contract; the phases after it get that file).")
    public static class Review extends FollowingPhaseBase {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Decision decision;

        static final class Decision {
            @Option(names = "--approve", required = true, description = "The outputs are right: the phase completes.")
            boolean approve;

            @Option(names = "--reject", required = true, description = "Run the phase again with --feedback or"
                    + " --feedback-file (needed).")
            boolean reject;

            @Option(names = "--replace", required = true, paramLabel = "OUTPUT=FILE", description = "Replace the output"
                    + " OUTPUT with FILE, a file inside the execution's project directory (no symbolic link).")
            String replace;
        }

        @ArgGroup(exclusive = true)
        Rerun.FeedbackSource feedback;

        String command() {
            return "REVIEW";
        }

        @Override
        void addTo(ObjectNode cmd) {
            if (decision.approve || decision.replace != null) {
                if (feedback != null) {
                    throw new CliException("only --reject takes feedback; nothing was sent", CliException.REJECTED);
                }
            }
            if (decision.approve) {
                cmd.put("decision", "approve");
            } else if (decision.reject) {
                String text = Rerun.feedbackText(feedback);
                if (text == null || text.isBlank()) {
                    throw new CliException("--reject needs --feedback TEXT or --feedback-file FILE: the agent's next"
                            + " attempt reads it; nothing was sent", CliException.REJECTED);
                }
                cmd.put("decision", "reject").put("feedback", text);
            } else {
                int eq = decision.replace.indexOf('=');
                if (eq <= 0 || eq == decision.replace.length() - 1) {
                    throw new CliException("--replace takes OUTPUT=FILE, not '" + decision.replace + "'; nothing was sent",
                            CliException.REJECTED);
                }
                cmd.put("decision", "replace").put("output", decision.replace.substring(0, eq))
                        .put("path", projectPath(Path.of(decision.replace.substring(eq + 1))));
            }
        }

        /**
         * FILE as the plan-loader takes it: relative to the execution's project directory (from the monitor's state),
         * which it must be inside. The plan-loader checks again, without following links.
         */
        private String projectPath(Path file) {
            Api.Response r = ctx.api().state(executionId);
            if (r.status() == 404) {
                throw new CliException("no execution " + executionId, CliException.REJECTED);
            }
            if (!r.ok() || r.json() == null || !r.json().hasNonNull("project_dir")) {
                throw new CliException(Api.errorOf("monitor-service GET state", r));
            }
            return relativeTo(Path.of(r.json().get("project_dir").asText()), file);
        }

        static String relativeTo(Path projectDir, Path file) {
            Path project = projectDir.toAbsolutePath().normalize();
            Path absolute = file.toAbsolutePath().normalize();
            if (!absolute.startsWith(project) || absolute.equals(project)) {
                throw new CliException(file + " is not a file inside the execution's project directory " + project
                        + "; copy it there first; nothing was sent", CliException.REJECTED);
            }
            return project.relativize(absolute).toString().replace('\\', '/');
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

    @Command(name = "budget", description = "Raise the execution's budget, or with --phase a phase's (engine.config.json"
            + " budget), above what is used; then `oe retry --phase N` runs a phase the budget stopped.")
    public static class Budget extends Base {
        @Option(names = "--phase", paramLabel = "N", description = "The phase whose budget to raise (default: the"
                + " execution's).")
        Integer phase;

        @Option(names = "--tokens", paramLabel = "T", description = "The new token limit (input + output + cached).")
        Long tokens;

        @Option(names = "--cost-usd", paramLabel = "C", description = "The new cost limit in US dollars.")
        Double costUsd;

        String command() {
            return "BUDGET";
        }

        @Override
        Integer phase() {
            return phase;
        }

        @Override
        public Integer call() {
            var limit = new io.oe.core.plan.BudgetLimit(tokens, costUsd);
            if (limit.isEmpty()) {
                throw new CliException("give --tokens, --cost-usd or both; nothing was sent", CliException.REJECTED);
            }
            var problems = limit.problems("--budget");
            if (!problems.isEmpty()) {
                throw new CliException(String.join("; ", problems).replace("--budget.tokens", "--tokens")
                        .replace("--budget.cost_usd", "--cost-usd") + "; nothing was sent", CliException.REJECTED);
            }
            refuseBelowUsed();
            return super.call();
        }

        /**
         * The budget rule ({@code Budget.raiseRefusal}, the plan-loader's and the scheduler's) against what the
         * monitor's state says the execution holds and has used, so that a person hears at once that a limit is not a
         * raise (the scheduler refuses it too, from its own figures, and then changes nothing). A state the monitor
         * cannot give leaves the check to the plan-loader and the scheduler.
         */
        private void refuseBelowUsed() {
            Api.Response r = ctx.api().state(executionId);
            if (!r.ok() || r.json() == null) {
                return;
            }
            var usage = phase == null ? r.json().path("usage") : r.json().path("phases").path(String.valueOf(phase)).path("usage");
            io.oe.core.plan.Budget held;
            try {
                held = r.json().path("budget").isObject()
                        ? io.oe.core.plan.PlanJson.MAPPER.convertValue(r.json().path("budget"), io.oe.core.plan.Budget.class) : null;
            } catch (IllegalArgumentException e) {
                return; // a budget this CLI cannot read: the plan-loader and the scheduler check
            }
            io.oe.core.plan.Budget.raiseRefusal(held, phase, new io.oe.core.plan.BudgetLimit(tokens, costUsd),
                    usage.path("total_tokens").asLong(0), usage.path("cost_usd").asDouble(0)).ifPresent(v -> {
                        throw new CliException("--" + v.where().replace('_', '-') + ": " + v.message() + "; nothing was sent",
                                CliException.REJECTED);
                    });
        }

        @Override
        void addTo(ObjectNode cmd) {
            if (tokens != null) {
                cmd.put("tokens", tokens);
            }
            if (costUsd != null) {
                cmd.put("cost_usd", costUsd);
            }
        }
    }
}
