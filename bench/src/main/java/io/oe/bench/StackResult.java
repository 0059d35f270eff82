package io.oe.bench;

import io.oe.deploy.LocalStack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one stack measured: its start, its idle cost, the floor on its broker, the graphs and the concurrent chains,
 * and what its processes used over the measured runs.
 *
 * @param cpuSecondsUsed CPU seconds of each process over the measured runs (graphs and concurrent chains)
 * @param jitSecondsUsed of which its JIT compiler threads' ({@link Machine#jitSeconds})
 * @param concurrentSeconds wall time of the concurrent chain-10s (0: not run)
 * @param profile the summary written by --profile, or null
 * @param classDataRecorded the processes that started without a class-data archive of their build (the first start
 *     of a build: its ready time is not a warm build's)
 */
record StackResult(LocalStack.Mode mode, double readySeconds, long rssBytes, Idle idle,
        Floor floor, List<GraphResult> graphs, int concurrent, double concurrentSeconds, long measuredSteps,
        Map<String, Double> cpuSecondsUsed, Map<String, Double> jitSecondsUsed, Map<String, Integer> startsByWorker, Map<String, List<Integer>> partitionsPerMember,
        Path profile, Set<String> classDataRecorded) {

    StackResult withProfile(Path summary) {
        return new StackResult(mode, readySeconds, rssBytes, idle, floor, graphs, concurrent,
                concurrentSeconds, measuredSteps, cpuSecondsUsed, jitSecondsUsed, startsByWorker, partitionsPerMember, summary, classDataRecorded);
    }

    /** CPU ms per measured step, all processes together (the broker included). */
    double cpuMsPerStep() {
        return Machine.total(cpuSecondsUsed) * 1000 / Math.max(1, measuredSteps);
    }

    /** Of {@link #cpuMsPerStep()}, the JIT compiler threads' share: a young process's cost, not a step's. */
    double jitMsPerStep() {
        return Machine.total(jitSecondsUsed) * 1000 / Math.max(1, measuredSteps);
    }

    double cpuMsPerStep(String process) {
        return cpuSecondsUsed.getOrDefault(process, 0.0) * 1000 / Math.max(1, measuredSteps);
    }

    double concurrentStepsPerSecond() {
        return concurrentSeconds <= 0 ? Double.NaN : concurrent * 10.0 / concurrentSeconds;
    }

    String label() {
        return mode == LocalStack.Mode.STANDALONE ? "standalone stack (broker + 6 services in one process)"
                : "separate stack (broker + 6 service processes)";
    }
}
