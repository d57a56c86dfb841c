package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.BuildInfo;
import co.pqrs.lakehouse.cli.PqrsCli;
import co.pqrs.lakehouse.transforms.bronze.TypeBronze;
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
  static final String OTHER_CODE = "the workers run other pqrs code";

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
            + ", loaded from " + where() + ") than this command (" + expected.substring(0, 12) + "): a cluster "
            + "started with the application on its classpath runs the build it was started with; restart it "
            + "with this build (make flink-down flink-up PQRS_FLINK_APP_JAR=...)");
      }
    }

    private static String where() {
      var source = SameCode.class.getProtectionDomain().getCodeSource();
      return source == null ? "an unknown place" : source.getLocation().toString();
    }
  }
}
