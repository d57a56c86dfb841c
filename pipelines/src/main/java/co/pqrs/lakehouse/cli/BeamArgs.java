package co.pqrs.lakehouse.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Turns a subcommand's options into Beam pipeline options. */
final class BeamArgs {
  private BeamArgs() {}

  static List<String> base(List<String> passThrough, String runner, String root) {
    List<String> args = new ArrayList<>(passThrough);
    args.add("--runner=" + runner);
    args.add("--root=" + root);
    awsRegion(args);
    if (root.startsWith("s3://")) {
      s3Defaults(args);
    }
    if (runner.equals("DirectRunner")) {
      // The DirectRunner re-encodes and re-checks every element to catch DoFn bugs; tests keep
      // those checks, a user's run does not need them (they cost about a third of the time).
      addDefault(args, "enforceImmutability", "false");
      addDefault(args, "enforceEncodability", "false");
    }
    return args;
  }

  /**
   * S3 settings from the environment unless given as options, for a lake or input on S3: endpoint
   * ({@code PQRS_S3_ENDPOINT}, for S3-compatible servers) and, with an endpoint, path-style clients
   * (the region is given for every root: {@link #awsRegion}). Credentials stay where the AWS SDK
   * finds them (environment, profile).
   */
  static void s3Defaults(List<String> args) {
    String endpoint = System.getenv("PQRS_S3_ENDPOINT");
    if (endpoint != null && !endpoint.isBlank()) {
      addDefault(args, "endpoint", endpoint);
    }
    if (args.stream().anyMatch(a -> a.startsWith("--endpoint="))) {
      addDefault(args, "s3ClientFactoryClass", co.pqrs.lakehouse.pipelines.s3.PathStyleS3ClientBuilderFactory.class.getName());
    }
  }

  /**
   * The region ({@code AWS_REGION}, default us-east-1) unless given, whatever the root: Beam sets up
   * its S3 file system in every JVM that runs a pipeline (and in every job on a TaskManager), and
   * with no region given the AWS SDK asks the instance metadata service for one, which off EC2 is a
   * timeout of about 0.8 s each time (docs/benchmarks/changes.md, "Seventeenth change").
   */
  static void awsRegion(List<String> args) {
    String region = System.getenv("AWS_REGION");
    addDefault(args, "awsRegion", region == null || region.isBlank() ? "us-east-1" : region);
  }

  static void addDefault(List<String> args, String name, String value) {
    if (args.stream().noneMatch(a -> a.startsWith("--" + name + "="))) {
      args.add("--" + name + "=" + value);
    }
  }

  static void add(List<String> args, String name, String value) {
    if (value != null) {
      args.add("--" + name + "=" + value);
    }
  }

  static <T extends PipelineOptions> T options(List<String> args, Class<T> type) {
    PipelineOptionsFactory.register(type);
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().as(type);
  }
}
