package io.oe.core.artifact;

/** A stored artifact: its name, its location relative to the project directory, its SHA-256 and size. */
public record StoredArtifact(String name, String location, String sha256, long size) {
}
