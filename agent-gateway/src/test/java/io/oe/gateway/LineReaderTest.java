package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    static List<LineReader.Piece> read(String text, int max, Secrets secrets) throws Exception {
        LineReader r = new LineReader(new StringReader(text), max, secrets);
        List<LineReader.Piece> out = new ArrayList<>();
        for (LineReader.Piece p; (p = r.next()) != null; ) {
            out.add(p);
        }
        return out;
    }

    @Test
    void linesComeWholeWithoutTheirLineBreaksAndTheLastOneWithoutABreakToo() throws Exception {
        assertThat(read("a\nbb\n\nccc", 10, Secrets.of(Map.of()))).containsExactly(new LineReader.Piece("a", true),
                new LineReader.Piece("bb", true), new LineReader.Piece("", true), new LineReader.Piece("ccc", true));
    }

    @Test
    void aLineLongerThanTheBoundComesInPiecesOfAtMostTheBound() throws Exception {
        var pieces = read("x".repeat(25) + "\nend\n", 10, Secrets.of(Map.of()));
        assertThat(pieces).extracting(LineReader.Piece::text).containsExactly("x".repeat(10), "x".repeat(10), "x".repeat(5), "end");
        assertThat(pieces).extracting(LineReader.Piece::endsLine).containsExactly(false, false, true, true);
    }

    @Test
    void aPieceNeverEndsInsideASecretSoEachPieceIsRedactedWhole() throws Exception {
        Secrets secrets = Secrets.of(Map.of("API_TOKEN", "s3cr3t-value"));
        String line = "y".repeat(15) + "s3cr3t-value" + "z".repeat(50); // the secret across the bound of 20
        var pieces = read(line + "\n", 20, secrets);
        assertThat(pieces).hasSizeGreaterThan(2);
        assertThat(pieces).extracting(LineReader.Piece::text).allSatisfy(t -> assertThat(secrets.redact(t))
                .doesNotContain("s3cr3t", "value"));
        assertThat(String.join("", pieces.stream().map(LineReader.Piece::text).toList())).isEqualTo(line);
    }
}
