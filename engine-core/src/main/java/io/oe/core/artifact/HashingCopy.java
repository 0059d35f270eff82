package io.oe.core.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Copies bytes while taking their SHA-256, and never reads more than one byte past a limit. */
final class HashingCopy {
    private static final int BUFFER = 64 * 1024;

    private HashingCopy() {
    }

    /** {@code overLimit}: more than the limit was there (the file may have grown while it was read); nothing more was read. */
    record Result(String sha256, long bytes, boolean overLimit) {
    }

    static Result copy(ReadableByteChannel in, WritableByteChannel out, long limit) throws IOException {
        MessageDigest digest = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long total = 0;
        while (true) {
            buffer.clear();
            long room = limit - total; // and one byte more, which tells "more" from "exactly the limit"
            if (room < BUFFER) {
                buffer.limit((int) room + 1);
            }
            int n = in.read(buffer);
            if (n < 0) {
                return new Result(HexFormat.of().formatHex(digest.digest()), total, false);
            }
            total += n;
            if (total > limit) {
                return new Result(null, total, true);
            }
            buffer.flip();
            digest.update(buffer.duplicate());
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
