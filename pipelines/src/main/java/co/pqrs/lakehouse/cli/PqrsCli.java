package co.pqrs.lakehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pqrs} command: one subcommand per layer. */
@Command(
    name = "pqrs",
    mixinStandardHelpOptions = true,
    versionProvider = PqrsCli.Version.class,
    description = "pqrs-lakehouse: simulate and process PQRS requests through Raw, Bronze, Silver and Gold.",
    subcommands = {SimulateCommand.class, IngestCommand.class, BronzeCommand.class, SilverCommand.class, GoldCommand.class, SqlCommand.class, ServeCommand.class, RunCommand.class,
        CommandLine.HelpCommand.class})
public final class PqrsCli {

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pqrs-lakehouse " + co.pqrs.lakehouse.BuildInfo.codeVersion()};
    }
  }

  public static int execute(String... args) {
    return execute(null, args);
  }

  /** Runs a command; its error lines go to {@code err}, or to stderr when it is null. */
  static int execute(java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new PqrsCli()).setExecutionExceptionHandler(new ErrorHandler());
    if (err != null) {
      cli.setErr(err);
    }
    // The pipeline commands pass --key=value arguments they do not know on to Beam.
    for (String name : new String[] {"simulate", "bronze", "silver", "gold", "run"}) {
      cli.getSubcommands().get(name).setUnmatchedArgumentsAllowed(true);
    }
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      // Thrown by the command's own thread, an Error passes picocli's handler by.
      String name = args.length > 0 && cli.getSubcommands().containsKey(args[0]) ? args[0] : "pqrs";
      cli.getErr().println(name + ": error: " + ErrorHandler.outOfMemory(e));
      return 2;
    }
  }

  public static void main(String[] args) {
    if (calledByFlink()) {
      runInFlinksJvm(args);
      return;
    }
    ProcessTempDirectory.install();
    System.exit(execute(args));
  }

  /**
   * Whether Flink's program runner called {@link #main}: a web or REST submission of this jar without
   * an entry class (in the JobManager's JVM), or {@code flink run}.
   */
  static boolean calledByFlink() {
    return StackWalker.getInstance().walk(frames -> frames.anyMatch(
        f -> f.getClassName().equals("org.apache.flink.client.program.PackagedProgram")));
  }

  /**
   * The command in a JVM that is Flink's: its temporary folder and its exit are not ours. System.exit
   * there stopped the whole JobManager; a failure is thrown instead, with the command's first error
   * line, which Flink hands back to the submitter.
   */
  static void runInFlinksJvm(String[] args) {
    java.io.StringWriter text = new java.io.StringWriter();
    int code = execute(new java.io.PrintWriter(text, true), args);
    System.err.print(text); // into Flink's log of the JVM, warnings of a command that succeeded too
    if (code != 0) {
      String first = text.toString().lines().filter(l -> !l.isBlank()).findFirst().orElse("no error line");
      // Not the arguments: they can hold the store's password.
      throw new IllegalArgumentException("pqrs: exit code " + code + ": " + first
          + (args.length > 0 && args[0].startsWith("-")
              ? " (a layer's job runs from its entry class, co.pqrs.lakehouse.pipelines.*Pipeline:"
                  + " README, \"Submit from the Flink web UI\")"
              : ""));
    }
  }
}
