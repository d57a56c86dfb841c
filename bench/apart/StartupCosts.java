import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Two costs every JVM that runs a pipeline pays once, before any data moves, timed in a fresh JVM:
 * Beam building and validating the options (every registered options interface is checked by
 * reflection) and Beam setting up its file systems (S3's asks the AWS SDK for a region when none
 * is given). They are a second or two of a layer command's fixed part, below what whole commands
 * resolve on the bench machine, so each JVM is timed apart and many are alternated.
 *
 *   for i in 1 2 3 4 5 6; do
 *     java -cp A.jar bench/apart/StartupCosts.java A --runner=FlinkRunner
 *     java -cp B.jar bench/apart/StartupCosts.java B --runner=FlinkRunner
 *   done > out.csv
 *
 * The first argument labels the row; the rest are Beam options, as a layer command passes them.
 * Prints CSV without header: label,options_s,filesystems_s.
 */
public class StartupCosts {
  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: StartupCosts LABEL [--beamOption=value ...]");
      System.exit(2);
    }
    String[] beamArgs = java.util.Arrays.copyOfRange(args, 1, args.length);
    long start = System.nanoTime();
    PipelineOptions options = PipelineOptionsFactory.fromArgs(beamArgs).withValidation().create();
    long optionsDone = System.nanoTime();
    FileSystems.setDefaultPipelineOptions(options);
    long fileSystemsDone = System.nanoTime();
    System.out.printf(java.util.Locale.ROOT, "%s,%.3f,%.3f%n", args[0],
        (optionsDone - start) / 1e9, (fileSystemsDone - optionsDone) / 1e9);
  }
}
