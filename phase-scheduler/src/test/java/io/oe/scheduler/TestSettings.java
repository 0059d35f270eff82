package io.oe.scheduler;

import io.oe.core.scheduler.SchedulerSettings;
import java.time.Duration;

/** The scheduler settings the tests run with: the configuration's defaults (microprofile-config.properties). */
final class TestSettings {
    static final SchedulerSettings SCHEDULER = new SchedulerSettings(Duration.ofSeconds(15), Duration.ofSeconds(30));

    private TestSettings() {
    }
}
