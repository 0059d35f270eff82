package io.oe.gateway;

import io.oe.events.AgentOutput;
import io.oe.events.OutputStream;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * One attempt's output as the bounded chunks published on {@code agent-output}: text of one stream is gathered until it
 * is {@link #FLUSH_BYTES} long or its oldest part {@link #FLUSH_MILLIS} old, so a flood becomes few records and a slow
 * agent's lines still show within a fraction of a second. Past {@code capBytes} of text one chunk marked {@code cut}
 * says so and no more text is published. A chunk the sink has no room for is dropped, not kept: the next one that
 * goes out counts the dropped bytes, so memory stays bounded and the agent is never held back by Kafka.
 *
 * <p>Pure: no threads, no clock (the caller says what time it is); synchronized, as both streams' readers and the
 * flush timer call it.
 */
final class OutputChunker {
    static final int FLUSH_BYTES = 8 * 1024;
    static final long FLUSH_MILLIS = 200;

    /** Where chunks go. {@code false}: no room now, the chunk was not taken. */
    interface Sink {
        boolean offer(AgentOutput chunk);
    }

    /** Takes nothing anywhere: for runs that publish no output (tests of other things). */
    static final Sink NOWHERE = chunk -> true;

    private final String executionId;
    private final int phaseId;
    private final int attempt;
    private final String workerId;
    private final long capBytes;
    private final Sink sink;
    private final Map<OutputStream, StringBuilder> pending = new EnumMap<>(OutputStream.class);
    private final Map<OutputStream, Integer> pendingBytes = new EnumMap<>(OutputStream.class);
    private final Map<OutputStream, Long> pendingSince = new EnumMap<>(OutputStream.class);
    private long seq;
    /** Text bytes taken into chunks so far, toward the cap (published or dropped). */
    private long taken;
    private long dropped;
    private boolean cut;
    /** The cut chunk is owed: the sink had no room for it yet. */
    private boolean cutOwed;
    private boolean finished;

    OutputChunker(String executionId, int phaseId, int attempt, String workerId, long capBytes, Sink sink) {
        this.executionId = executionId;
        this.phaseId = phaseId;
        this.attempt = attempt;
        this.workerId = workerId;
        this.capBytes = capBytes;
        this.sink = sink;
    }

    /** Text the agent printed on {@code stream} (already redacted and made safe). */
    synchronized void append(OutputStream stream, String text, long now) {
        if (cut || finished || text.isEmpty()) {
            return;
        }
        int bytes = Utf8.length(text);
        if (taken + bytes > capBytes) {
            String head = Utf8.prefix(text, (int) (capBytes - taken));
            add(stream, head, now);
            taken += Utf8.length(head);
            flushAll(now);
            cut = true;
            cutOwed = !offer(OutputStream.UNKNOWN, "[output cut after " + capBytes + " bytes]\n", now, true, false);
            return;
        }
        taken += bytes;
        add(stream, text, now);
    }

    /** Flushes what has waited long enough; sends an owed cut chunk. */
    synchronized void tick(long now) {
        if (finished) {
            return;
        }
        for (OutputStream s : OutputStream.values()) {
            Long since = pendingSince.get(s);
            if (since != null && now - since >= FLUSH_MILLIS) {
                flush(s, now);
            }
        }
        if (cutOwed) {
            cutOwed = !offer(OutputStream.UNKNOWN, "[output cut after " + capBytes + " bytes]\n", now, true, false);
        }
    }

    /** The agent ended: what is pending goes out, then the chunk marked {@code last} (carrying an owed cut marker). */
    synchronized void finish(long now) {
        if (finished) {
            return;
        }
        flushAll(now);
        offer(OutputStream.UNKNOWN, cutOwed ? "[output cut after " + capBytes + " bytes]\n" : "", now, cutOwed, true);
        finished = true;
    }

    /** Chunks published so far (the next chunk's seq). */
    synchronized long published() {
        return seq;
    }

    private void add(OutputStream stream, String text, long now) {
        String rest = text;
        while (!rest.isEmpty()) {
            int room = FLUSH_BYTES - pendingBytes.getOrDefault(stream, 0);
            String part = Utf8.prefix(rest, room);
            if (part.isEmpty()) { // a code point that does not fit in what is left: start a new chunk
                flush(stream, now);
                continue;
            }
            pending.computeIfAbsent(stream, s -> new StringBuilder()).append(part);
            pendingBytes.merge(stream, Utf8.length(part), Integer::sum);
            pendingSince.putIfAbsent(stream, now);
            rest = rest.substring(part.length());
            if (pendingBytes.get(stream) >= FLUSH_BYTES) {
                flush(stream, now);
            }
        }
    }

    private void flushAll(long now) {
        for (OutputStream s : OutputStream.values()) {
            flush(s, now);
        }
    }

    private void flush(OutputStream stream, long now) {
        StringBuilder b = pending.remove(stream);
        Integer bytes = pendingBytes.remove(stream);
        pendingSince.remove(stream);
        if (b == null || b.isEmpty()) {
            return;
        }
        if (!offer(stream, b.toString(), now, false, false)) {
            dropped += bytes;
        }
    }

    /** One chunk to the sink; on success the next seq, and the dropped count is said and reset. */
    private boolean offer(OutputStream stream, String text, long now, boolean isCut, boolean last) {
        AgentOutput chunk = AgentOutput.newBuilder().setExecutionId(executionId).setPhaseId(phaseId).setAttempt(attempt)
                .setStream(stream).setSeq(seq).setText(text).setAt(Instant.ofEpochMilli(now)).setCut(isCut)
                .setDroppedBytes(dropped).setLast(last).setWorkerId(workerId).build();
        if (!sink.offer(chunk)) {
            return false;
        }
        seq++;
        dropped = 0;
        return true;
    }
}
