package io.oe.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.deploy.LocalStack;
import io.oe.deploy.StackInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ps",
        description = "The local stack's processes and services: pid, port, health (ready, not ready, not live), uptime.")
public class PsCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Override
    public Integer call() {
        Optional<StackInfo> stack = ctx.stack();
        if (stack.isEmpty()) {
            System.out.println(ctx.json ? "{\"processes\": []}" : "no stack (no " + ctx.stackDir().resolve(StackInfo.FILE)
                    + "); `oe up` starts one");
            return CliException.FAILED;
        }
        StackInfo s = stack.get();
        List<StackHealth.Service> health = StackHealth.of(s);
        if (ctx.json) {
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("mode", s.standalone() ? "standalone" : "separate");
            ArrayNode procs = out.putArray("processes");
            if (s.broker != null) {
                procs.add(proc("kafka-broker", s.broker));
            }
            s.services.forEach((name, p) -> procs.add(proc(name, p)));
            ArrayNode services = out.putArray("services");
            health.forEach(h -> services.addObject().put("name", h.name()).put("state", h.state()).put("detail", h.detail()));
            System.out.println(Json.pretty(out));
        } else {
            System.out.printf("%-18s %-8s %-6s %-12s %-10s %s%n", "NAME", "PID", "PORT", "STATE", "UPTIME", "DETAIL");
            if (s.broker != null) {
                System.out.printf("%-18s %-8s %-6s %-12s %-10s %s%n", "kafka-broker", s.broker.pid, s.broker.port,
                        s.broker.alive() ? "running" : "not running", uptime(s.broker), s.broker.log);
            }
            var byName = StackHealth.byName(health);
            s.services.forEach((name, p) -> {
                if (name.equals(LocalStack.STANDALONE)) {
                    System.out.printf("%-18s %-8s %-6s %-12s %-10s %s%n", name, p.pid, p.port, p.alive() ? "running" : "not running",
                            uptime(p), "the broker (port " + s.bootstrapServers + ") and every service in this process");
                    health.forEach(h -> System.out.printf("  %-16s %-8s %-6s %-12s %-10s %s%n", h.name(), "", "", h.state(), "", h.detail()));
                } else {
                    StackHealth.Service h = byName.get(name);
                    System.out.printf("%-18s %-8s %-6s %-12s %-10s %s%n", name, p.pid, p.port, h.state(), uptime(p), h.detail());
                }
            });
        }
        boolean allReady = health.stream().allMatch(StackHealth.Service::ready) && (s.broker == null || s.broker.alive());
        return allReady ? 0 : CliException.FAILED;
    }

    private static ObjectNode proc(String name, StackInfo.Proc p) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("name", name).put("pid", p.pid).put("port", p.port).put("running", p.alive()).put("uptime_seconds", uptimeSeconds(p))
                .put("log", p.log);
        return o;
    }

    private static long uptimeSeconds(StackInfo.Proc p) {
        return p.alive() && p.startMillis > 0 ? (System.currentTimeMillis() - p.startMillis) / 1000 : 0;
    }

    private static String uptime(StackInfo.Proc p) {
        if (!p.alive()) {
            return "-";
        }
        Duration d = Duration.ofSeconds(uptimeSeconds(p));
        return d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m" : d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s"
                : d.toSeconds() + "s";
    }
}
