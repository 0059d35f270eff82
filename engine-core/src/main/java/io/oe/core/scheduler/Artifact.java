package io.oe.core.scheduler;

/** A stored artifact as the scheduler knows it: where it is and its checksum, never its bytes. */
public record Artifact(String name, int phaseId, String location, String sha256, long size) {
}
