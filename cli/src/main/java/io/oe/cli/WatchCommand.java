package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.scheduler.ExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "watch", description = "Follow an execution live: tier progress bars, current phases and tasks, recent events.")
public class WatchCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Option(names = "--execution-id", required = true, paramLabel = "ID")
    String executionId;

    @Option(names = "--interval-ms", defaultValue = "500", description = "Refresh interval (default ${DEFAULT-VALUE}).")
    long intervalMs;

    @Override
    public Integer call() throws InterruptedException {
        Api api = ctx.api();
        boolean tty = System.console() != null;
        String last = "";
        while (true) {
            Api.Response r = api.state(executionId);
            if (r.status() == 404) {
                throw new CliException("no execution " + executionId, CliException.REJECTED);
            }
            if (!r.ok()) {
                throw new CliException(Api.errorOf("monitor-service GET state", r));
            }
            JsonNode state = r.json();
            // the recent events only: the last entries, not the first page of a long log
            Api.Response log = api.log(executionId, Math.max(1, state.path("event_count").asLong() - WatchView.RECENT + 1), WatchView.RECENT);
            List<String> lines = WatchView.render(state, log.ok() ? log.json() : Json.MAPPER.createObjectNode(), Instant.now());
            String frame = String.join("\n", lines);
            if (tty) {
                System.out.print("\033[H\033[2J" + frame + "\n"); // redraw in place
            } else if (!frame.equals(last)) {
                System.out.println(frame + "\n"); // a pipe gets plain frames, only when something changed
            }
            last = frame;
            ExecutionStatus status = ExecutionStatus.find(state.path("status").asText()).orElse(null);
            if (status != null && (status.isTerminal() || status == ExecutionStatus.WAITING_FOR_INTERVENTION)) {
                return status == ExecutionStatus.COMPLETED ? 0 : CliException.FAILED;
            }
            Thread.sleep(Duration.ofMillis(intervalMs).toMillis());
        }
    }
}
