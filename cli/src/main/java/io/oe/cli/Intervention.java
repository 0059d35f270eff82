package io.oe.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
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
            Api.Response r = ctx.api().command(executionId, cmd);
            if (!r.ok()) {
                throw new CliException(Api.errorOf(command() + " " + executionId, r),
                        r.status() >= 400 && r.status() < 500 ? CliException.REJECTED : CliException.FAILED);
            }
            System.out.println(ctx.json ? Json.pretty(r.json()) : command().toLowerCase() + " accepted for execution "
                    + executionId + (phase() == null ? "" : " phase " + phase()));
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
