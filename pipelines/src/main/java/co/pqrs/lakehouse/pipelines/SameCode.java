package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.BuildInfo;
import co.pqrs.lakehouse.cli.PqrsCli;
import co.pqrs.lakehouse.transforms.bronze.TypeBronze;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PDone;

/**
 * Fails a job whose workers run other code than the command that submitted it. A Flink cluster that
 * has the application's jar on its own classpath (flink-up.sh with {@code PQRS_FLINK_APP_JAR}, loaded
 * parent-first) runs the code it was started with, whatever jar a job ships: after a rebuild, without
 * a restart, it would run the old code and say nothing.
 */
public final class SameCode extends PTransform<PBegin, PDone> {
  /** One class of each module: their jars or class folders hold all of the project's code. */
  private static final Class<?>[] MODULES = {BuildInfo.class, TypeBronze.class, PqrsCli.class};

  /** How the failure begins: {@link #otherCode} finds it among a job failure's causes. */
  static final String OTHER_CODE = "the cluster runs other pqrs code";

  private static final String RESTART = ": a cluster started with the application on its classpath runs the build"
      + " it was started with; restart it with this build (make flink-down flink-up PQRS_FLINK_APP_JAR=...)";

  private static volatile String here;

  private final String expected;

  private SameCode(String expected) {
    this.expected = expected;
  }

  /** Checks the workers against the code of this JVM. */
  public static SameCode asThisJvm() {
    return new SameCode(codeSha256());
  }

  /** Checks the workers against the given fingerprint (tests). */
  static SameCode as(String codeSha256) {
    return new SameCode(codeSha256);
  }

  /** The fingerprint of the code this JVM loaded the project from ({@link BuildInfo#codeSha256}). */
  public static String codeSha256() {
    String h = here;
    if (h == null) {
      h = BuildInfo.codeSha256(MODULES);
      here = h;
    }
    return h;
  }

  /**
   * Fails when the jar a web or REST submission uploaded holds other code than the code that runs.
   * There {@code main()} runs on the JobManager with the uploaded jar as its context class loader;
   * a JobManager with the application on its classpath loads the project from there instead of the
   * jar, so its workers agree with it (the check in the job) and only the uploaded jar can tell.
   * Every project entry the jar has must be the one that runs (a small jar may hold only some).
   */
  public static void checkUploaded() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (!(context instanceof URLClassLoader uploaded) || context == SameCode.class.getClassLoader()) {
      return;
    }
    List<Path> jars = new ArrayList<>();
    for (URL url : uploaded.getURLs()) {
      try {
        jars.add(Path.of(url.toURI()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        // not a local file: nothing to compare
      }
    }
    java.util.Set<Path> sources = BuildInfo.sources(MODULES);
    if (sources.containsAll(jars)) {
      return; // a plain cluster: the project runs from the uploaded jar itself
    }
    Map<String, String> running = BuildInfo.codeEntries(sources);
    for (Map.Entry<String, String> e : BuildInfo.codeEntries(jars).entrySet()) {
      if (!e.getValue().equals(running.get(e.getKey()))) {
        throw new IllegalStateException(OTHER_CODE + " (" + codeSha256().substring(0, 12) + ", loaded from "
            + CheckFn.where() + ") than the jar uploaded (" + jars + ": " + e.getKey() + " differs)" + RESTART);
      }
    }
  }

  @Override
  public PDone expand(PBegin begin) {
    begin.apply("ThisCommandsCode", Create.of(expected)).apply("WorkersRunIt", ParDo.of(new CheckFn()));
    return PDone.in(begin.getPipeline());
  }

  /**
   * This check's message among the causes of a job's failure, or null. Found by its text: a failure
   * that crossed Flink's RPC may keep only that (SerializedThrowable).
   */
  public static String otherCode(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String text = String.valueOf(c.getMessage());
      int at = text.indexOf(OTHER_CODE);
      if (at >= 0) {
        return text.substring(at);
      }
    }
    return null;
  }

  static final class CheckFn extends DoFn<String, Void> {
    @ProcessElement
    public void process(@Element String expected) {
      String running = codeSha256();
      if (!running.equals(expected)) {
        throw new IllegalStateException(OTHER_CODE + " (" + running.substring(0, 12)
            + ", loaded from " + where() + ") than this command (" + expected.substring(0, 12) + ")" + RESTART);
      }
    }

    private static String where() {
      var source = SameCode.class.getProtectionDomain().getCodeSource();
      return source == null ? "an unknown place" : source.getLocation().toString();
    }
  }
}
