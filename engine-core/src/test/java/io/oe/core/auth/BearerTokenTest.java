package io.oe.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheExactTokenIsAccepted() throws Exception {
        String secret = BearerToken.generate();
        assertThat(secret).hasSize(64).isNotEqualTo(BearerToken.generate());
        BearerToken t = BearerToken.configured(null, Files.writeString(dir.resolve("token"), secret + "\n").toString()).orElseThrow();
        assertThat(t.accepts("Bearer " + secret)).isTrue();
        assertThat(t.accepts("bearer " + secret)).isTrue();
        assertThat(t.accepts("Bearer " + secret + "x")).isFalse();
        assertThat(t.accepts("Basic " + secret)).isFalse();
        assertThat(t.accepts(null)).isFalse();
        assertThat(t.toString()).doesNotContain(secret);
        assertThat(BearerToken.configured("abc", null).orElseThrow().accepts("Bearer abc")).isTrue();
        assertThat(BearerToken.configured("", "")).isEmpty();
        assertThatThrownBy(() -> BearerToken.configured(null, dir.resolve("missing").toString()))
                .hasMessageContaining("cannot be read");
    }
}
