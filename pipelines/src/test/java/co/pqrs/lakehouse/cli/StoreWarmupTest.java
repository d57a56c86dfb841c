package co.pqrs.lakehouse.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

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
  void theWarmUpRunsOncePerJvmAndLeavesDuckDbsLibraryLoaded() throws Exception {
    Assumptions.assumeTrue(System.getenv("PQRS_JDBC_URL") == null, "the environment names another store");
    assertNull(StoreWarmup.start(null, "s3://bucket/lake"), "nothing to warm up");
    Thread first = StoreWarmup.start(null, "lakehouse");
    assertNotNull(first);
    assertSame(first, StoreWarmup.start(null, "another-lake"), "one warm-up per JVM");
    first.join(60_000);
    assertFalse(first.isAlive());
    Class<?> nativeLib = Class.forName(StoreWarmup.NATIVE, false, StoreWarmup.class.getClassLoader());
    assertFalse(unsafe().shouldBeInitialized(nativeLib), "DuckDB's native class is initialised");
  }

  private static sun.misc.Unsafe unsafe() throws Exception {
    Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
    f.setAccessible(true);
    return (sun.misc.Unsafe) f.get(null);
  }
}
