package co.pqrs.lakehouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
