package co.pqrs.lakehouse.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One temporary folder per {@code pqrs} process, below the JVM's own, removed when the process exits.
 *
 * <p>Embedded Flink unpacks its RPC system (a 22 MB jar) and a {@code minicluster_*} folder into the
 * temporary folder, and removes them only when its mini cluster has closed. Flink closes it after it
 * hands the job's result back, so a command that exits right then left 22 MB in /tmp on every run.
 * Flink's spilled sorts and DuckDB's unpacked native library land here too. Pointing
 * {@code java.io.tmpdir} (Flink's default {@code io.tmp.dirs}) at this folder before any of them reads
 * it, and removing the folder in a shutdown hook, leaves nothing behind, whatever the exit code.
 */
final class ProcessTempDirectory {
  static final String PREFIX = "pqrs-";

  private ProcessTempDirectory() {}

  /**
   * Creates the folder, makes it the JVM's temporary folder and removes it at exit; returns it, or
   * null (after one line on stderr) when it cannot be created, and the JVM's folder stays in use.
   */
  static Path install() {
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    // Named without Files.createTempDirectory: that would fix the JDK's NIO temporary folder at the old one.
    Path dir = base.resolve(PREFIX + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
    try {
      Files.createDirectory(dir);
    } catch (IOException e) {
      System.err.println("pqrs: warning: cannot create a temporary folder in " + base + " (" + e
          + "); temporary files go to " + base + " itself");
      return null;
    }
    System.setProperty("java.io.tmpdir", dir.toString());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "pqrs-temp-cleanup"));
    removeLeftovers(base, Instant.now().minus(LEFTOVER_AGE));
    return dir;
  }

  private static final Pattern OWN = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-[0-9a-f]+");
  /** A folder untouched this long whose process is gone is a leftover. */
  static final Duration LEFTOVER_AGE = Duration.ofHours(1);

  /**
   * Removes the folders of pqrs processes that were killed ({@code kill -9}, the kernel's OOM killer)
   * before their hook could run: their spilled sorts can be gigabytes. A folder is a leftover when no
   * process has its pid and neither it nor what it holds directly (Flink's spill folders, which
   * change as sorts spill) was modified after {@code before}: the age keeps the folder of a live
   * process this one cannot see (another container sharing the folder) out of reach.
   */
  static void removeLeftovers(Path base, Instant before) {
    List<Path> entries;
    try (Stream<Path> list = Files.list(base)) {
      entries = list.toList();
    } catch (IOException | UncheckedIOException e) {
      return;
    }
    // Tidying up after others is best effort, and silent: this command's own work does not depend on it.
    for (Path p : entries) {
      Matcher m = OWN.matcher(p.getFileName().toString());
      try {
        if (m.matches() && Files.isDirectory(p) && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()
            && lastModified(p).isBefore(before)) {
          deleteTree(p);
        }
      } catch (IOException | UncheckedIOException | NumberFormatException e) {
        // another user's folder, or one that went meanwhile
      }
    }
  }

  private static Instant lastModified(Path dir) throws IOException {
    Instant newest = Files.getLastModifiedTime(dir).toInstant();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path c : children.toList()) {
        Instant t = Files.getLastModifiedTime(c).toInstant();
        newest = t.isAfter(newest) ? t : newest;
      }
    }
    return newest;
  }

  /** Deletes the folder and what it holds; says so on stderr when a file cannot be removed. */
  static void delete(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException e) {
      System.err.println("pqrs: could not remove the temporary " + dir + ": " + e);
    }
  }

  /**
   * Deletes the folder and what it holds. Flink's own shutdown hooks may delete in it at the same
   * time, so a file that is already gone is fine, and a folder still being filled is tried again.
   */
  private static void deleteTree(Path dir) throws IOException {
    for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
      List<Path> paths;
      try (Stream<Path> walk = Files.walk(dir)) {
        paths = walk.sorted(Comparator.reverseOrder()).toList();
      } catch (IOException | UncheckedIOException e) {
        continue; // a path vanished while walking
      }
      for (Path p : paths) {
        try {
          Files.deleteIfExists(p);
        } catch (NoSuchFileException | DirectoryNotEmptyException e) {
          // gone already, or filled meanwhile: the next attempt takes it
        }
      }
    }
  }
}
