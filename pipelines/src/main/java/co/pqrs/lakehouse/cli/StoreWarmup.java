package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.serving.StoreConfig;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the embedded store's native library on a second thread while the command's own thread sets up
 * Beam. DuckDB's driver unpacks a 72 MB library into the temporary folder in every JVM (about half a
 * second, docs/benchmarks/changes.md "The fixed part"), which otherwise waits on the command's first record.
 */
final class StoreWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(StoreWarmup.class);
  /** The class whose initialisation unpacks and loads DuckDB's library (not its driver's: that one is light). */
  static final String NATIVE = "org.duckdb.DuckDBNative";
  private static final AtomicReference<Thread> STARTED = new AtomicReference<>();

  private StoreWarmup() {}

  /**
   * Starts the warm-up once per JVM when the command's store will be the embedded one; returns its
   * thread, or null when there is nothing to warm up.
   */
  static Thread start(String jdbcUrl, String root) {
    if (!embedded(jdbcUrl, System.getenv(StoreConfig.ENV_URL), root)) {
      return null;
    }
    Thread t = new Thread(StoreWarmup::load, "pqrs-store-warmup");
    t.setDaemon(true);
    if (!STARTED.compareAndSet(null, t)) {
      return STARTED.get();
    }
    t.start();
    return t;
  }

  /** The decision {@link StoreConfig#resolve} makes later: an embedded DuckDB store, or a DuckDB URL. */
  static boolean embedded(String jdbcUrl, String envUrl, String root) {
    String url = StoreConfig.givenUrl(jdbcUrl, envUrl);
    return url != null ? StoreConfig.isDuckDb(url) : !DataLayout.isUri(root);
  }

  private static void load() {
    try {
      Class.forName(NATIVE, true, StoreWarmup.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      // The job jar leaves DuckDB out; opening the store says so, with what to do instead.
    } catch (Throwable e) {
      // The JVM throws the cause of a failed class initialisation once: the store's own attempt
      // later only learns that the class could not be initialised, so the cause is said here.
      LOG.warn("the embedded store's native library did not load: {}", e.getCause() != null ? e.getCause() : e);
    }
  }
}
