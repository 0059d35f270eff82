package io.oe.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Part of the public contract: which execution a plan submission starts. */
public final class ExecutionIds {
    private ExecutionIds() {
    }

    /**
     * {@code exec_s} and the first 16 hex digits of the SHA-256 of the submission id: derived from the id alone, so
     * the same submission twice (a client's retry, a redelivered event) names the same execution, which is started
     * once, and a client knows its execution id before the engine answers.
     */
    public static String forSubmission(String submissionId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(submissionId.getBytes(StandardCharsets.UTF_8));
            return "exec_s" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
