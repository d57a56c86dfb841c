package co.pqrs.lakehouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's native library loads beside the command's own work, only where it will be used. */
class StoreWarmupTest {

  @Test
  void onlyAnEmbeddedOrDuckDbStoreIsWarmedUp() {
    assertTrue(StoreWarmup.embedded(null, null, "lakehouse"), "a local root, no URL: the embedded store");
    assertTrue(StoreWarmup.embedded("", " ", "/tmp/lake"), "blank URLs count as none");
    assertTrue(StoreWarmup.embedded("jdbc:duckdb:/tmp/s.duckdb", null, "s3://bucket/lake"));
    assertFalse(StoreWarmup.embedded(null, null, "s3://bucket/lake"), "an object-store root has no embedded store");
    assertFalse(StoreWarmup.embedded("jdbc:postgresql://db/pqrs", null, "lakehouse"));
    assertFalse(StoreWarmup.embedded(null, "jdbc:postgresql://db/pqrs", "lakehouse"), "$PQRS_JDBC_URL counts");
    assertTrue(StoreWarmup.embedded("jdbc:duckdb:/tmp/s.duckdb", "jdbc:postgresql://db/pqrs", "lakehouse"),
        "--jdbc-url wins over the environment, as in StoreConfig.resolve");
  }

  @Test
  void theWarmUpRunsOncePerJvm() throws Exception {
    Assumptions.assumeTrue(System.getenv("PQRS_JDBC_URL") == null, "the environment names another store");
    assertNull(StoreWarmup.start(null, "s3://bucket/lake"), "nothing to warm up");
    Thread first = StoreWarmup.start(null, "lakehouse");
    assertNotNull(first);
    assertSame(first, StoreWarmup.start(null, "another-lake"), "one warm-up per JVM");
    first.join(60_000);
    assertFalse(first.isAlive());
  }

  /**
   * In a JVM of its own, where nothing else has opened DuckDB: its native class is not initialised
   * before the warm-up and is after it, with the library unpacked into the temporary folder.
   */
  @Test
  void theWarmUpLoadsDuckDbsLibraryInAFreshJvm(@TempDir Path tmp) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
        StoreWarmupTest.class.getName()).inheritIO();
    pb.environment().remove("PQRS_JDBC_URL");
    assertEquals(0, pb.start().waitFor(), "exit 3: initialised before the warm-up; 4: not after it; 5: nothing unpacked");
  }

  /** The child JVM of {@link #theWarmUpLoadsDuckDbsLibraryInAFreshJvm}. */
  public static void main(String[] args) throws Exception {
    Class<?> nativeLib = Class.forName(StoreWarmup.NATIVE, false, StoreWarmupTest.class.getClassLoader());
    if (!unsafe().shouldBeInitialized(nativeLib)) {
      System.exit(3);
    }
    StoreWarmup.start(null, "lakehouse").join(60_000);
    if (unsafe().shouldBeInitialized(nativeLib)) {
      System.exit(4);
    }
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      System.exit(files.anyMatch(f -> f.getFileName().toString().startsWith("libduckdb_java")) ? 0 : 5);
    }
  }

  private static sun.misc.Unsafe unsafe() throws Exception {
    Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
    f.setAccessible(true);
    return (sun.misc.Unsafe) f.get(null);
  }
}
