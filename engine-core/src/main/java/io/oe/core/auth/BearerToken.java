package io.oe.core.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The API token that guards the write endpoints: configured on the server (a value or a file), sent by clients as
 * {@code Authorization: Bearer <token>}. Compared in constant time; never logged.
 */
public final class BearerToken {
    private final byte[] expected;

    private BearerToken(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The configured token: {@code value} if set, else the first line of {@code file}; empty when neither is set. */
    public static Optional<BearerToken> configured(String value, String file) {
        if (value != null && !value.isBlank()) {
            return Optional.of(new BearerToken(value.strip()));
        }
        if (file != null && !file.isBlank()) {
            try {
                String text = Files.readString(Path.of(file)).strip();
                if (text.isEmpty()) {
                    throw new IllegalStateException("API token file " + file + " is empty");
                }
                return Optional.of(new BearerToken(text.lines().findFirst().orElseThrow()));
            } catch (IOException e) {
                throw new IllegalStateException("API token file " + file + " cannot be read: " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    /** Whether an {@code Authorization} header carries this token. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorizationHeader.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }

    /** A new random token (256 bits, hex). */
    public static String generate() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public String toString() {
        return "BearerToken(****)"; // never the value
    }
}
