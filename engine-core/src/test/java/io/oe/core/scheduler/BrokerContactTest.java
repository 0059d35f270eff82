package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BrokerContactTest {
    private final BrokerContact contact = new BrokerContact();

    @Test
    void inContactNothingIsExcused() {
        contact.reached(1_000);
        contact.reached(2_000);
        assertThat(contact.allowanceMs(2_500, 15_000)).isZero();
        assertThat(contact.cutOff()).isFalse();
    }

    @Test
    void whileCutOffTheClockStandsStillFromTheLastAnswer() {
        contact.reached(10_000);
        contact.missed(11_000);
        contact.missed(12_000);
        assertThat(contact.cutOff()).isTrue();
        assertThat(contact.allowanceMs(12_500, 15_000)).isEqualTo(2_500); // silence since 10 s not counted
        assertThat(contact.allowanceMs(40_000, 15_000)).isEqualTo(30_000);
    }

    @Test
    void afterAnOutageItsLengthIsExcusedForTheWindowThenNoMore() {
        contact.reached(10_000);
        contact.missed(11_000);
        contact.reached(24_000); // 14 s without the broker
        assertThat(contact.cutOff()).isFalse();
        assertThat(contact.allowanceMs(26_000, 15_000)).isEqualTo(14_000);
        assertThat(contact.allowanceMs(38_999, 15_000)).isEqualTo(14_000);
        assertThat(contact.allowanceMs(39_000, 15_000)).isZero();
    }

    @Test
    void missesBeforeTheFirstAnswerAreNotAnOutage() {
        contact.missed(1_000); // the broker is not up yet: nothing was running
        assertThat(contact.cutOff()).isFalse();
        assertThat(contact.allowanceMs(5_000, 15_000)).isZero();
    }
}
