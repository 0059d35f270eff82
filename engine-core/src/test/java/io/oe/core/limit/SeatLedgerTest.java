package io.oe.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The seat keeper's rule for one limit, without Kafka. */
class SeatLedgerTest {
    private static final SeatHolder A = new SeatHolder("exec_a", 2, 1);
    private static final SeatHolder B = new SeatHolder("exec_b", 2, 1);
    private static final SeatHolder C = new SeatHolder("exec_c", 3, 1);
    private static final SeatHolder D = new SeatHolder("exec_d", 4, 1);

    private SeatLedger ledger = SeatLedger.empty("agent:@dev");

    private List<SeatHolder> request(SeatHolder h, int priority, Integer cap) {
        var out = ledger.request(h, priority, List.of(), cap);
        ledger = out.ledger();
        return out.granted().stream().map(SeatLedger.Grant::holder).toList();
    }

    private List<SeatHolder> release(SeatHolder h, Integer cap) {
        var out = ledger.release(h, cap);
        ledger = out.ledger();
        return out.granted().stream().map(SeatLedger.Grant::holder).toList();
    }

    @Test
    void seatsAreGrantedUpToTheCapAndTheRestWait() {
        assertThat(request(A, 0, 2)).containsExactly(A);
        assertThat(request(B, 0, 2)).containsExactly(B);
        assertThat(request(C, 0, 2)).isEmpty();
        assertThat(ledger.holders()).containsExactly(A, B);
        assertThat(ledger.waiting()).extracting(SeatLedger.Waiter::holder).containsExactly(C);
    }

    @Test
    void aReleaseGivesTheSeatToTheHighestPriorityThenTheFirstToAsk() {
        request(A, 0, 1);
        request(B, 0, 1);
        request(C, 5, 1);
        request(D, 5, 1);
        assertThat(release(A, 1)).containsExactly(C);
        assertThat(release(C, 1)).containsExactly(D);
        assertThat(release(D, 1)).containsExactly(B);
        assertThat(release(B, 1)).isEmpty();
        assertThat(ledger.idle()).isTrue();
    }

    @Test
    void aDuplicateRequestTakesNoSecondSeatAndKeepsItsPlace() {
        request(A, 0, 1);
        request(B, 0, 1);
        assertThat(request(A, 0, 1)).isEmpty();
        assertThat(request(B, 9, 1)).isEmpty();
        assertThat(ledger.holders()).containsExactly(A);
        assertThat(ledger.waiting()).extracting(SeatLedger.Waiter::holder).containsExactly(B);
    }

    @Test
    void aDuplicateReleaseFreesNothingMore() {
        request(A, 0, 1);
        request(B, 0, 1);
        request(C, 0, 1);
        assertThat(release(A, 1)).containsExactly(B);
        assertThat(release(A, 1)).isEmpty();
        assertThat(ledger.holders()).containsExactly(B);
        assertThat(ledger.waiting()).extracting(SeatLedger.Waiter::holder).containsExactly(C);
    }

    @Test
    void aReleaseOfAWaiterWithdrawsItsRequest() {
        request(A, 0, 1);
        request(B, 0, 1);
        assertThat(release(B, 1)).isEmpty();
        assertThat(release(A, 1)).isEmpty();
        assertThat(ledger.idle()).isTrue();
    }

    @Test
    void aLoweredCapGrantsNothingUntilTheHoldersAreBelowIt() {
        request(A, 0, 2);
        request(B, 0, 2);
        request(C, 0, 2);
        assertThat(release(A, 1)).as("cap lowered to 1 while two held").isEmpty();
        assertThat(release(B, 1)).containsExactly(C);
    }

    @Test
    void aLimitNoLongerCappedGrantsEveryWaiter() {
        request(A, 0, 1);
        request(B, 0, 1);
        assertThat(request(C, 0, null)).containsExactly(B, C);
    }

    @Test
    void aGrantCarriesEveryLimitTheAttemptNeedsAndSaysWhichComesNext() {
        List<String> chain = List.of("agent:@dev", "profile:claude");
        var out = ledger.request(A, 3, chain, 1);
        assertThat(out.granted()).containsExactly(new SeatLedger.Grant(A, 3, chain));
        assertThat(SeatLedger.next(chain, "agent:@dev")).contains("profile:claude");
        assertThat(SeatLedger.next(chain, "profile:claude")).isEmpty();
    }
}
