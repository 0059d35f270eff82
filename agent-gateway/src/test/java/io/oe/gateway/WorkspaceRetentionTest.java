package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceRetentionTest {
    @TempDir
    Path project;
    @TempDir
    Path outside;

    private Path attempt(String execution, Instant at) throws Exception {
        Path dir = Files.createDirectories(project.resolve("tee-output/workspaces/" + execution + "/3/1/outputs"));
        Path log = Files.writeString(dir.resolveSibling("agent.log"), "x");
        for (Path p : new Path[] {log, dir, dir.getParent(), dir.getParent().getParent(), dir.getParent().getParent().getParent()}) {
            Files.setLastModifiedTime(p, FileTime.from(at));
        }
        return dir.getParent().getParent().getParent();
    }

    @Test
    void onlyExecutionsUnchangedForLongerThanTheRetentionAreRemoved() throws Exception {
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        Path old = attempt("exec_old", now.minus(Duration.ofDays(8)));
        Path recent = attempt("exec_recent", now.minus(Duration.ofDays(2)));
        Path current = attempt("exec_current", now.minus(Duration.ofDays(30)));
        Path stillWriting = attempt("exec_writing", now.minus(Duration.ofDays(9)));
        Files.setLastModifiedTime(stillWriting.resolve("3/1/agent.log"), FileTime.from(now.minusSeconds(60)));
        Path outside = Files.writeString(project.resolve("keep-me.txt"), "outside");
        Files.createSymbolicLink(old.resolve("3/1/outputs/link"), outside);
        Files.setLastModifiedTime(old.resolve("3/1/outputs"), FileTime.from(now.minus(Duration.ofDays(8))));

        var removed = WorkspaceRetention.prune(project, project, "exec_current", Duration.ofDays(7), now);

        assertThat(removed).containsExactly(old);
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(current).exists();
        assertThat(stillWriting).exists();
        assertThat(Files.readString(outside)).isEqualTo("outside"); // the link went, not what it points at
    }

    @Test
    void zeroKeepsEverythingAndAProjectIsCheckedAtMostEveryTenMinutes() throws Exception {
        Instant now = Instant.now();
        Path old = attempt("exec_old", now.minus(Duration.ofDays(8)));
        new WorkspaceRetention(project, Duration.ZERO).maybePrune(project, "x", now);
        assertThat(old).exists();

        WorkspaceRetention r = new WorkspaceRetention(project, Duration.ofDays(7));
        r.maybePrune(project, "x", now.minus(Duration.ofMinutes(1)));
        assertThat(old).doesNotExist();
        Path again = attempt("exec_again", now.minus(Duration.ofDays(8)));
        r.maybePrune(project, "x", now);
        assertThat(again).exists();
        r.maybePrune(project, "x", now.plus(WorkspaceRetention.CHECK_EVERY));
        assertThat(again).doesNotExist();
    }

    @Test
    void linksToOldDirectoriesOutsideAreNeverFollowedWhenPruning() throws Exception {
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        Path keep = Files.createDirectories(outside.resolve("exec_elsewhere/3/1"));
        Files.writeString(keep.resolve("keep.txt"), "outside");
        for (Path p : new Path[] {keep.resolve("keep.txt"), keep, keep.getParent(), keep.getParent().getParent()}) {
            Files.setLastModifiedTime(p, FileTime.from(now.minus(Duration.ofDays(30))));
        }
        Path old = attempt("exec_old", now.minus(Duration.ofDays(8)));
        Files.createSymbolicLink(project.resolve("tee-output/workspaces/exec_link"), outside.resolve("exec_elsewhere"));
        Files.createSymbolicLink(old.resolve("3/sub"), outside.resolve("exec_elsewhere")); // a link inside, to a directory
        Files.setLastModifiedTime(old.resolve("3"), FileTime.from(now.minus(Duration.ofDays(8))));

        assertThat(WorkspaceRetention.prune(project, project, "x", Duration.ofDays(7), now)).containsExactly(old);
        assertThat(keep.resolve("keep.txt")).hasContent("outside");
        assertThat(project.resolve("tee-output/workspaces/exec_link")).isSymbolicLink(); // not an execution directory

        // the workspaces directory itself replaced by a link: nothing is pruned through it
        Path workspaces = project.resolve("tee-output/workspaces");
        Files.move(workspaces, outside.resolve("workspaces"));
        Files.createSymbolicLink(workspaces, outside.resolve("workspaces"));
        Files.move(outside.resolve("exec_elsewhere"), outside.resolve("workspaces/exec_elsewhere"));
        assertThatThrownBy(() -> WorkspaceRetention.prune(project, project, "x",
                Duration.ofDays(7), now)).hasMessageContaining(workspaces + " is a symbolic link");
        new WorkspaceRetention(project, Duration.ofDays(7)).maybePrune(project, "x", now); // logs, never throws
        assertThat(outside.resolve("workspaces/exec_elsewhere/3/1/keep.txt")).hasContent("outside");
    }
}
