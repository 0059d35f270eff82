package io.oe.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** engine.config.json's alert switches: every kind on by default, each off by name, alert_on_failure as before. */
class EngineConfigTest {
    @Test
    void byDefaultEveryAlertKindIsOn() {
        assertThat(Arrays.stream(AlertKind.values()).allMatch(EngineConfig.DEFAULTS::alertOn)).isTrue();
        assertThat(EngineConfig.DEFAULTS.alerts()).containsOnlyKeys(AlertKind.names());
        EngineConfig none = PlanJson.config(PlanJson.parse("{\"max_concurrent_phases\": 2}"));
        assertThat(Arrays.stream(AlertKind.values()).allMatch(none::alertOn)).isTrue();
    }

    @Test
    void aKindSwitchedOffIsOffAndTheKindsTheConfigDoesNotNameStayOn() {
        EngineConfig c = PlanJson.config(PlanJson.parse("{\"alerts\": {\"heartbeat_lost\": false, \"contract_violated\": true}}"));
        assertThat(c.alertOn(AlertKind.HEARTBEAT_LOST)).isFalse();
        assertThat(c.alertOn(AlertKind.CONTRACT_VIOLATED)).isTrue();
        assertThat(c.alertOn(AlertKind.RETRIES_EXHAUSTED)).isTrue();
        assertThat(c.alertOn(AlertKind.WAITING_FOR_APPROVAL)).isTrue();
        assertThat(c.alerts()).containsEntry("heartbeat_lost", false).containsEntry("attempt_timed_out", true);
    }

    @Test
    void alertOnFailureFalseSwitchesOffRetriesExhaustedAlone() {
        EngineConfig c = PlanJson.config(PlanJson.parse("{\"alert_on_failure\": false}"));
        assertThat(c.alertOn(AlertKind.RETRIES_EXHAUSTED)).isFalse();
        assertThat(c.alertOn(AlertKind.ATTEMPT_TIMED_OUT)).isTrue();
        EngineConfig both = PlanJson.config(PlanJson.parse("{\"alert_on_failure\": true, \"alerts\": {\"retries_exhausted\": false}}"));
        assertThat(both.alertOn(AlertKind.RETRIES_EXHAUSTED)).isFalse();
    }

    @Test
    void aConfigStoredBeforeAlertsExistedReadsWithEveryKindOn() {
        // the scheduler's store keeps each execution's config as JSON: one written by an earlier release has no "alerts"
        EngineConfig stored = PlanJson.MAPPER.convertValue(PlanJson.parse("{\"max_concurrent_phases\": 3, \"alert_on_failure\": true}"),
                EngineConfig.class);
        assertThat(stored.alerts()).isNull();
        assertThat(Arrays.stream(AlertKind.values()).allMatch(stored::alertOn)).isTrue();
        // and a config written now reads back the same
        EngineConfig written = PlanJson.config(PlanJson.parse("{\"alerts\": {\"waiting_for_approval\": false}}"));
        assertThat(PlanJson.MAPPER.convertValue(PlanJson.parse(PlanJson.write(written)), EngineConfig.class)).isEqualTo(written);
    }
}
