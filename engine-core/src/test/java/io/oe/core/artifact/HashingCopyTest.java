package io.oe.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HashingCopyTest {
    /** A source that never ends, like a file an agent keeps growing. */
    private static InputStream endless(AtomicLong served) {
        return new InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 'x');
                served.addAndGet(len);
                return len;
            }
        };
    }

    @Test
    void aSourceThatGrowsPastTheLimitIsCutOneBytePastIt() throws Exception {
        AtomicLong served = new AtomicLong();
        var out = new ByteArrayOutputStream();
        var r = HashingCopy.copy(Channels.newChannel(endless(served)), Channels.newChannel(out), 100_000);
        assertThat(r.overLimit()).isTrue();
        assertThat(r.bytes()).isEqualTo(100_001);
        assertThat(served.get()).isEqualTo(100_001);
        assertThat(out.size()).isLessThanOrEqualTo(100_000);
    }

    @Test
    void aSourceOfExactlyTheLimitIsCopiedWhole() throws Exception {
        var out = new ByteArrayOutputStream();
        var r = HashingCopy.copy(Channels.newChannel(new ByteArrayInputStream("abc".getBytes())),
                Channels.newChannel(out), 3);
        assertThat(r.overLimit()).isFalse();
        assertThat(r.sha256()).isEqualTo(HashingCopy.sha256("abc".getBytes()));
        assertThat(out.toString()).isEqualTo("abc");
    }
}
