package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.pipelines.IngestRaw;
import co.pqrs.lakehouse.pipelines.ServingOptions;
import co.pqrs.lakehouse.pipelines.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Copy external JSONL files, byte for byte, into the lakehouse as a Raw run.",
    footer = {"", "Lines go to the day= partition of their ts (America/Bogota), or to day=unknown.",
        "Other --key=value arguments configure Beam's file systems (e.g. S3 options)."})
final class IngestCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "JSONL files or globs")
  List<String> inputs;

  @Option(names = "--run-id", required = true, paramLabel = "ID", description = "Run id of the new Raw run")
  String runId;

  @Option(names = "--root", paramLabel = "PATH", defaultValue = "lakehouse",
      description = "Lakehouse root, a folder or s3://bucket/prefix (default: ${DEFAULT-VALUE})")
  String root;

  @Option(names = "--jdbc-url", paramLabel = "URL",
      description = "Serving store for the run record (default: $PQRS_JDBC_URL, else embedded under the root)")
  String jdbcUrl;

  @Unmatched
  List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> args = new ArrayList<>(beamArgs);
    BeamArgs.add(args, "jdbcUrl", jdbcUrl);
    BeamArgs.awsRegion(args);
    if (root.startsWith("s3://") || inputs.stream().anyMatch(i -> i.startsWith("s3://"))) {
      BeamArgs.s3Defaults(args);
    }
    ServingOptions o = BeamArgs.options(args, ServingOptions.class);
    FileSystems.setDefaultPipelineOptions(o);
    IngestRaw.Result r = IngestRaw.run(inputs, root, runId, System.err::println, o);
    System.out.println(Summary.ingest(r));
    return 0;
  }
}
