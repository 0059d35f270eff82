package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.AgentOutput;
import io.oe.events.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chunker alone: text and times in, chunks out. */
class OutputChunkerTest {
    final List<AgentOutput> out = new ArrayList<>();
    boolean room = true;

    OutputChunker chunker(long cap) {
        return new OutputChunker("e1", 3, 2, "w1", cap, chunk -> room && out.add(chunk));
    }

    static String text(List<AgentOutput> chunks) {
        StringBuilder b = new StringBuilder();
        chunks.forEach(c -> b.append(c.getText()));
        return b.toString();
    }

    @Test
    void aLineIsHeldNoLongerThanTheFlushIntervalAndThenSentAsOneChunk() {
        var c = chunker(1 << 20);
        c.append(OutputStream.STDOUT, "building\n", 1_000);
        c.append(OutputStream.STDOUT, "testing\n", 1_050);
        c.tick(1_100);
        assertThat(out).isEmpty();
        c.tick(1_000 + OutputChunker.FLUSH_MILLIS);
        assertThat(out).singleElement().satisfies(chunk -> {
            assertThat(chunk.getText()).isEqualTo("building\ntesting\n");
            assertThat(chunk.getStream()).isEqualTo(OutputStream.STDOUT);
            assertThat(chunk.getSeq()).isZero();
            assertThat(chunk.getExecutionId()).isEqualTo("e1");
            assertThat(chunk.getPhaseId()).isEqualTo(3);
            assertThat(chunk.getAttempt()).isEqualTo(2);
            assertThat(chunk.getCut()).isFalse();
            assertThat(chunk.getLast()).isFalse();
        });
    }

    @Test
    void stdoutAndStderrGoInTheirOwnChunksNumberedInOrder() {
        var c = chunker(1 << 20);
        c.append(OutputStream.STDOUT, "out 1\n", 0);
        c.append(OutputStream.STDERR, "err 1\n", 10);
        c.append(OutputStream.STDOUT, "out 2\n", 20);
        c.tick(500);
        assertThat(out).extracting(AgentOutput::getStream).containsExactlyInAnyOrder(OutputStream.STDOUT, OutputStream.STDERR);
        assertThat(out).extracting(AgentOutput::getSeq).containsExactly(0L, 1L);
        assertThat(out).filteredOn(o -> o.getStream() == OutputStream.STDOUT).singleElement()
                .extracting(AgentOutput::getText).isEqualTo("out 1\nout 2\n");
    }

    @Test
    void aFloodBecomesFewChunksOfAtMostEightKibAndOneCutMarkerAtTheCap() {
        long cap = 1 << 20;
        var c = chunker(cap);
        String line = "x".repeat(1023) + "\n";
        for (int i = 0; i < 50 * 1024; i++) { // 50 MiB, all at the same instant: nothing waits for the timer
            c.append(OutputStream.STDOUT, line, 5);
        }
        c.finish(6);
        List<AgentOutput> text = out.stream().filter(o -> !o.getCut() && !o.getLast()).toList();
        assertThat(text).hasSize((int) (cap / OutputChunker.FLUSH_BYTES));
        assertThat(text).allSatisfy(o -> assertThat(o.getText().getBytes(StandardCharsets.UTF_8).length)
                .isEqualTo(OutputChunker.FLUSH_BYTES));
        assertThat(text(text)).hasSize((int) cap);
        AgentOutput marker = out.get(text.size());
        assertThat(marker.getCut()).isTrue();
        assertThat(marker.getText()).isEqualTo("[output cut after 1048576 bytes]\n");
        assertThat(out.get(out.size() - 1).getLast()).isTrue();
        assertThat(out).hasSize(text.size() + 2).extracting(AgentOutput::getSeq)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, out.size()).boxed().toList());
    }

    @Test
    void textAfterTheCutIsNeverPublished() {
        var c = chunker(10);
        c.append(OutputStream.STDOUT, "0123456789abc\n", 0);
        c.append(OutputStream.STDERR, "more\n", 1);
        c.tick(10_000);
        assertThat(out).extracting(AgentOutput::getText).containsExactly("0123456789", "[output cut after 10 bytes]\n");
    }

    @Test
    void aChunkWithoutRoomIsDroppedAndTheNextOneCountsItsBytes() {
        var c = chunker(1 << 20);
        room = false;
        c.append(OutputStream.STDOUT, "lost line\n", 0);
        c.tick(300);
        assertThat(out).isEmpty();
        room = true;
        c.append(OutputStream.STDOUT, "kept\n", 400);
        c.tick(700);
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.getText()).isEqualTo("kept\n");
            assertThat(o.getDroppedBytes()).isEqualTo(10);
            assertThat(o.getSeq()).isZero();
        });
    }

    @Test
    void aCutMarkerWithoutRoomIsOwedAndRidesOnTheLastChunk() {
        var c = chunker(4);
        room = false;
        c.append(OutputStream.STDOUT, "abcdefgh\n", 0);
        room = true;
        c.finish(100);
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.getCut()).isTrue();
            assertThat(o.getLast()).isTrue();
            assertThat(o.getText()).isEqualTo("[output cut after 4 bytes]\n");
            assertThat(o.getDroppedBytes()).isEqualTo(4);
        });
    }

    @Test
    void finishSendsWhatWaitsThenTheLastChunkAndIgnoresLaterText() {
        var c = chunker(1 << 20);
        c.append(OutputStream.STDERR, "bye\n", 0);
        c.finish(10);
        c.append(OutputStream.STDOUT, "too late\n", 20);
        c.tick(1_000);
        assertThat(out).extracting(AgentOutput::getText).containsExactly("bye\n", "");
        assertThat(out.get(1).getLast()).isTrue();
    }

    @Test
    void multiByteTextIsNeverSplitInsideACharacter() {
        var c = chunker(1 << 20);
        String snow = "☃".repeat(5_000) + "🙂".repeat(3_000); // 3 and 4 bytes each
        c.append(OutputStream.STDOUT, snow, 0);
        c.finish(1);
        assertThat(text(out)).isEqualTo(snow);
        assertThat(out).allSatisfy(o -> assertThat(o.getText().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(OutputChunker.FLUSH_BYTES));
    }
}
