package io.oe.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code oe}: the Orchestration Engine command line. Its {@code --help} and {@code --version} are inherited by every
 * command ({@code scope = INHERIT}), so {@code oe init --help} answers with the usage even though init has required
 * options, and a new command cannot forget them.
 */
@Command(name = "oe", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "oe 1.0.0-SNAPSHOT",
        description = "Orchestration Engine: run orchestration plans on the local stack.",
        subcommands = {UpCommand.class, DownCommand.class, PsCommand.class, RestartCommand.class, ResetCommand.class, InitCommand.class, ExecuteCommand.class,
                StatusCommand.class, ReportCommand.class, WatchCommand.class, GraphCommand.class, DemoCommand.class,
                Intervention.Retry.class, Intervention.Skip.class, Intervention.Approve.class, Intervention.Pause.class,
                Intervention.Resume.class, Intervention.Cancel.class, Intervention.Rerun.class, Intervention.Review.class, Intervention.Budget.class,
                WaitCommand.class, TokenCommand.class,
                TailCommand.class, LogsCommand.class, CommandLine.HelpCommand.class})
public class OeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty(
                "org.slf4j.simpleLogger.defaultLogLevel", "error"));
        CommandLine cl = new CommandLine(new OeCli());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof CliException ce) {
                err.println("oe " + commandLine.getCommandName() + ": " + ce.getMessage());
                err.flush();
                return ce.exitCode();
            }
            err.println("oe " + commandLine.getCommandName() + ": " + ex);
            err.flush();
            return CliException.FAILED;
        });
        return cl.execute(args);
    }
}
