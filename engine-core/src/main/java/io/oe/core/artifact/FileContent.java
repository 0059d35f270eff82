package io.oe.core.artifact;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Bytes a contract checks: how many, and a way to read them from the start. */
public interface FileContent {
    long size();

    InputStream open() throws IOException;

    /** Bytes the engine holds (an artifact it converted). */
    static FileContent of(byte[] bytes) {
        return new FileContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    /** A file the caller trusts (its own, or a test's), read by path. Agent files are read as staged artifacts. */
    static FileContent of(Path trustedFile) throws IOException {
        long size = Files.size(trustedFile);
        return new FileContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(trustedFile);
            }
        };
    }
}
