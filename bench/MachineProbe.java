import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How fast this machine runs a JVM's kind of work right now, with none of the project's code: the
 * bench times it before and after its layers (bench/run.sh), so that a bench run made in a slow
 * machine state says so beside its figures. The layers' speed moves with the machine's from one
 * sitting to another (by up to a factor of two on 2026-12-02), and more than the DuckDB baseline's.
 *
 * <p>Each round, one task per core makes texts from a seeded generator (allocating), sorts them
 * (comparing), hashes their bytes (SHA-256) and counts their prefixes in a map; the same work in
 * every round and on every machine. Prints the median of the timed rounds after a warm-up round:
 * {@code probe: 1.234 s}.
 *
 * <p>Run: {@code java bench/MachineProbe.java [rounds] [texts per task]} (defaults 3, 300000).
 */
public class MachineProbe {
  /** Where each round's result goes, so that the JIT cannot drop the work. */
  static volatile long sink;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int texts = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
    int tasks = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(tasks);
    try {
      round(pool, tasks, texts); // warm-up: class loading and compiling, not timed
      double[] seconds = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        seconds[r] = round(pool, tasks, texts);
      }
      Arrays.sort(seconds);
      System.out.printf(java.util.Locale.ROOT, "probe: %.3f s%n", seconds[rounds / 2]);
    } finally {
      pool.shutdown();
    }
  }

  /** One round on every task at once; its seconds. */
  private static double round(ExecutorService pool, int tasks, int texts) throws Exception {
    long start = System.nanoTime();
    List<Future<Long>> done = new ArrayList<>();
    for (int t = 0; t < tasks; t++) {
      long seed = t;
      done.add(pool.submit(() -> work(seed, texts)));
    }
    for (Future<Long> f : done) {
      sink += f.get();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static long work(long seed, int n) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    String[] texts = new String[n];
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.setLength(0);
      int length = 12 + random.nextInt(20);
      for (int k = 0; k < length; k++) {
        sb.append((char) ('a' + random.nextInt(26)));
      }
      texts[i] = sb.toString();
    }
    Arrays.sort(texts);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Map<String, Integer> prefixes = new HashMap<>();
    for (String s : texts) {
      sha.update(s.getBytes(StandardCharsets.UTF_8));
      prefixes.merge(s.substring(0, 4), 1, Integer::sum);
    }
    return sha.digest()[0] + prefixes.size();
  }
}
