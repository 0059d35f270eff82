package io.oe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CoordinatorRecordsTest {

    private static byte[] key(int version, String id, byte... rest) {
        byte[] s = id.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + s.length + rest.length).putShort((short) version).putShort((short) s.length).put(s).put(rest)
                .array();
    }

    @Test
    void anOffsetCommitIsOwnedByItsGroup() {
        assertThat(CoordinatorRecords.owner(key(1, "oe-agent-gateway", (byte) 0, (byte) 11))).isEqualTo("oe-agent-gateway");
    }

    @Test
    void aStreamsTransactionIsOwnedByItsApplicationNotItsProcess() {
        assertThat(CoordinatorRecords.owner(key(0, "oe-phase-scheduler-6f1c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6-1")))
                .isEqualTo("oe-phase-scheduler");
    }

    @Test
    void aKeyThatIsNotOneIsCountedAsUnknown() {
        assertThat(CoordinatorRecords.owner(new byte[] {0, 1, 0, 99, 65})).isEqualTo("?");
        assertThat(CoordinatorRecords.owner(null)).isEqualTo("?");
    }
}
