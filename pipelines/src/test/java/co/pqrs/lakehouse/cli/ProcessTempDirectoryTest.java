package co.pqrs.lakehouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A pqrs process leaves nothing in the temporary folder, whatever its exit code. */
class ProcessTempDirectoryTest {

  /** Run in a child JVM: fills its temporary folder the way Flink does, then exits with a code. */
  public static void main(String[] args) throws Exception {
    Path dir = ProcessTempDirectory.install();
    Path base = Path.of(args[0]);
    if (dir == null) {
      System.exit(Integer.parseInt(args[1]));
    }
    if (!dir.getParent().equals(base) || !System.getProperty("java.io.tmpdir").equals(dir.toString())) {
      System.exit(9);
    }
    // What embedded Flink leaves: an unpacked jar beside a working folder with nested folders.
    Files.write(File.createTempFile("flink-rpc-akka", ".jar").toPath(), new byte[1024]);
    Files.createDirectories(dir.resolve("minicluster_1/tm_0/blobStorage"));
    Files.writeString(dir.resolve("minicluster_1/tm_0/blobStorage/blob"), "x");
    System.exit(Integer.parseInt(args[1]));
  }

  private static int runChild(Path base, int code) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Djava.io.tmpdir=" + base, "-cp", System.getProperty("java.class.path"),
        ProcessTempDirectoryTest.class.getName(), base.toString(), Integer.toString(code))
        .inheritIO().start();
    return p.waitFor();
  }

  private static List<Path> entries(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** Success and failure alike: the hook runs on System.exit whatever the code. */
  @ParameterizedTest
  @ValueSource(ints = {0, 2})
  void theFolderAndWhatItHoldsAreGoneAfterTheProcessExits(int code) throws Exception {
    Path base = Files.createTempDirectory("pqrs-tmp-test");
    try {
      assertEquals(code, runChild(base, code));
      assertEquals(List.of(), entries(base));
    } finally {
      ProcessTempDirectory.delete(base);
    }
  }

  @Test
  void aTemporaryFolderThatCannotBeMadeIsOneLineAndTheCommandGoesOn(@TempDir Path tmp) throws Exception {
    Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Djava.io.tmpdir=" + notAFolder, "-cp", System.getProperty("java.class.path"),
        ProcessTempDirectoryTest.class.getName(), notAFolder.toString(), "4").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(4, p.waitFor());
    assertEquals(1, out.lines().count(), out);
    assertTrue(out.startsWith("pqrs: warning: cannot create a temporary folder in " + notAFolder + " ("), out);
  }

  /** A folder with its nested entries, every one last modified at {@code t}. */
  private static Path folder(Path base, String name, Instant t) throws Exception {
    Path dir = Files.createDirectories(base.resolve(name).resolve("flink-io-1"));
    Files.writeString(dir.resolve("spill"), "x");
    for (Path p : List.of(dir.resolve("spill"), dir, dir.getParent())) {
      Files.setLastModifiedTime(p, FileTime.from(t));
    }
    return dir.getParent();
  }

  @Test
  void aKilledProcessesOldFolderIsRemovedAndNothingElse(@TempDir Path base) throws Exception {
    Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).start();
    gone.getInputStream().readAllBytes();
    gone.waitFor();
    long dead = gone.pid();
    long alive = ProcessHandle.current().pid();
    Instant now = Instant.parse("2026-12-04T12:00:00Z");
    Instant old = now.minus(ProcessTempDirectory.LEFTOVER_AGE).minusSeconds(60);
    Path leftover = folder(base, "pqrs-" + dead + "-1a2b", old);
    Path live = folder(base, "pqrs-" + alive + "-3c4d", old);
    Path recent = folder(base, "pqrs-" + dead + "-5e6f", old);
    Files.setLastModifiedTime(recent.resolve("flink-io-1"), FileTime.from(now.minusSeconds(60)));
    Path other = folder(base, "pqrs-make-run.abc", old);
    ProcessTempDirectory.removeLeftovers(base, now.minus(ProcessTempDirectory.LEFTOVER_AGE));
    assertTrue(Files.notExists(leftover));
    assertEquals(List.of(live, recent, other).stream().sorted().toList(), entries(base).stream().sorted().toList());
  }

  @Test
  void deleteRemovesNestedFoldersAndToleratesAMissingOne(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("pqrs-1");
    Files.createDirectories(dir.resolve("a/b/c"));
    Files.writeString(dir.resolve("a/b/c/f"), "x");
    Files.writeString(dir.resolve("g"), "y");
    ProcessTempDirectory.delete(dir);
    assertTrue(Files.notExists(dir));
    ProcessTempDirectory.delete(dir); // already gone: no error
  }
}
