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
    if (runner.equals("DirectRunner")) {
      // The DirectRunner re-encodes and re-checks every element to catch DoFn bugs; tests keep
      // those checks, a user's run does not need them (they cost about a third of the time).
      addDefault(args, "enforceImmutability", "false");
      addDefault(args, "enforceEncodability", "false");
    }
    return args;
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
