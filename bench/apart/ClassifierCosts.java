import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * What Silver's rules pre-classification costs a ticket, two builds side by side in one JVM: the
 * texts of a Bronze run's TICKET_CREATED events (what Silver's replay classifies), each jar's
 * `Preclassifier` loaded by a class loader of its own on the packaged rules, in alternating rounds,
 * the first two not printed; both must give the same results (the sum of their hash codes).
 *
 *   java -cp NEW.jar bench/apart/ClassifierCosts.java LAKE RUN_ID OLD.jar NEW.jar [rounds] [texts]
 *
 * Prints CSV without header, one row per counted round and jar: round,jar,texts,ns_per_text.
 */
public class ClassifierCosts {
  public static void main(String[] args) throws Throwable {
    if (args.length < 4) {
      System.err.println("usage: ClassifierCosts.java LAKE RUN_ID OLD.jar NEW.jar [rounds] [texts]");
      System.exit(2);
    }
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    int most = args.length > 5 ? Integer.parseInt(args[5]) : 200_000;
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    String glob = DataLayout.at(args[0]).table(DataLayout.BRONZE, "events", args[1]) + "day=*/*.parquet";
    List<String> texts = new ArrayList<>();
    for (MatchResult.Metadata f : FileSystems.match(glob).metadata()) {
      if (texts.size() >= most) {
        break;
      }
      ParquetFiles.read(f.resourceId().toString(), r -> {
        if (texts.size() < most && "TICKET_CREATED".equals(String.valueOf(r.get("event_type"))) && r.get("text") != null) {
          texts.add(r.get("text").toString());
        }
      });
    }
    if (texts.isEmpty()) {
      System.err.println("ClassifierCosts: no TICKET_CREATED text in " + glob + ": run Bronze on " + args[1] + " first");
      System.exit(2);
    }
    Classifier[] jars = {new Classifier(args[2]), new Classifier(args[3])};
    for (int round = 0; round < rounds + 2; round++) {
      long[] sums = new long[2];
      for (int k = 0; k < 2; k++) {
        Classifier c = jars[(round + k) % 2]; // alternate which jar goes first
        long t0 = System.nanoTime();
        long sum = 0;
        for (String t : texts) {
          sum += c.classify.invoke(c.classifier, t).hashCode();
        }
        long t1 = System.nanoTime();
        sums[(round + k) % 2] = sum;
        if (round >= 2) {
          System.out.printf(Locale.ROOT, "%d,%s,%d,%.1f%n", round - 1, c.jar, texts.size(), (t1 - t0) / (double) texts.size());
        }
      }
      if (sums[0] != sums[1]) {
        throw new IllegalStateException("the two classifiers disagree: " + sums[0] + " against " + sums[1]);
      }
    }
  }

  /** One jar's classifier on its packaged rules. */
  static final class Classifier {
    final String jar;
    final Object classifier;
    final MethodHandle classify;

    Classifier(String jar) throws Throwable {
      this.jar = Path.of(jar).getFileName().toString();
      ClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, null);
      Class<?> config = Class.forName("co.pqrs.lakehouse.config.LakehouseConfig", true, loader);
      Class<?> rules = Class.forName("co.pqrs.lakehouse.config.PreclassRules", true, loader);
      Class<?> c = Class.forName("co.pqrs.lakehouse.transforms.silver.Preclassifier", true, loader);
      MethodHandles.Lookup l = MethodHandles.publicLookup();
      Object packaged = l.findStatic(config, "packaged", MethodType.methodType(config)).invoke();
      Object preclass = l.findVirtual(config, "preclass", MethodType.methodType(rules)).invoke(packaged);
      this.classifier = l.findConstructor(c, MethodType.methodType(void.class, rules, String.class)).invoke(preclass, "v1");
      Class<?> result = Class.forName("co.pqrs.lakehouse.transforms.silver.Preclassifier$Result", true, loader);
      this.classify = l.findVirtual(c, "classify", MethodType.methodType(result, String.class))
          .asType(MethodType.methodType(Object.class, Object.class, String.class));
    }
  }
}
