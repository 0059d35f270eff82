package io.oe.monitor;

import io.oe.core.retention.Retention;
import java.time.Duration;

/**
 * How the monitor prunes finished executions: after {@code retention} since they ended, looked for every
 * {@code sweep}, archived into their project, which must lie inside {@code projectRoot} (as for every file it writes).
 */
record Pruning(Retention retention, Duration sweep, String projectRoot) {
}
