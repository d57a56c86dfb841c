import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * What a writer's data hash costs per row, two builds side by side in one JVM: each jar's
 * `DataHash.Builder` is loaded by a class loader of its own and given the same rows, in alternating
 * rounds, the first two not printed; both must give the same hash.
 *
 *   java bench/apart/DataHashCosts.java OLD.jar NEW.jar [rounds] [rows] [mean row bytes]
 *
 * The rows are random bytes of half to one and a half times the mean (150 by default: a Silver
 * status event or message row's Avro encoding is of that order; 4,096 distinct rows, reused). Prints
 * CSV without header, one row per counted round and jar: round,jar,ns_per_row.
 */
public class DataHashCosts {
  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      System.err.println("usage: DataHashCosts.java OLD.jar NEW.jar [rounds] [rows] [mean row bytes]");
      System.exit(2);
    }
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int n = args.length > 3 ? Integer.parseInt(args[3]) : 2_000_000;
    int mean = args.length > 4 ? Integer.parseInt(args[4]) : 150;
    Random r = new Random(11);
    byte[][] rows = new byte[4096][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new byte[mean / 2 + r.nextInt(mean + 1)];
      r.nextBytes(rows[i]);
    }
    Hasher[] jars = {new Hasher(args[0]), new Hasher(args[1])};
    for (int round = 0; round < rounds + 2; round++) {
      String[] hashes = new String[2];
      for (int k = 0; k < 2; k++) {
        Hasher h = jars[(round + k) % 2]; // alternate which jar goes first
        long t0 = System.nanoTime();
        Object builder = h.builder.invoke();
        for (int i = 0; i < n; i++) {
          h.add.invoke(builder, rows[i & 4095]);
        }
        String hex = (String) h.hex.invoke(h.build.invoke(builder));
        long t1 = System.nanoTime();
        hashes[(round + k) % 2] = hex;
        if (round >= 2) {
          System.out.printf(Locale.ROOT, "%d,%s,%.1f%n", round - 1, h.jar, (t1 - t0) / (double) n);
        }
      }
      if (!hashes[0].equals(hashes[1])) {
        throw new IllegalStateException("the two builders disagree: " + hashes[0] + " against " + hashes[1]);
      }
    }
  }

  /** One jar's DataHash: a new builder, a row added, the hash built and published. */
  static final class Hasher {
    final String jar;
    final MethodHandle builder;
    final MethodHandle add;
    final MethodHandle build;
    final MethodHandle hex;

    Hasher(String jar) throws Throwable {
      this.jar = Path.of(jar).getFileName().toString();
      ClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, null);
      Class<?> hash = Class.forName("co.pqrs.lakehouse.manifest.DataHash", true, loader);
      Class<?> b = Class.forName("co.pqrs.lakehouse.manifest.DataHash$Builder", true, loader);
      MethodHandles.Lookup l = MethodHandles.publicLookup();
      this.builder = l.findStatic(hash, "builder", MethodType.methodType(b)).asType(MethodType.methodType(Object.class));
      this.add = l.findVirtual(b, "add", MethodType.methodType(b, byte[].class))
          .asType(MethodType.methodType(void.class, Object.class, byte[].class));
      this.build = l.findVirtual(b, "build", MethodType.methodType(hash))
          .asType(MethodType.methodType(Object.class, Object.class));
      this.hex = l.findVirtual(hash, "hex", MethodType.methodType(String.class))
          .asType(MethodType.methodType(String.class, Object.class));
    }
  }
}
