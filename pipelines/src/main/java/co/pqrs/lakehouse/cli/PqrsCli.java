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
    CommandLine cli = new CommandLine(new PqrsCli()).setExecutionExceptionHandler(new ErrorHandler());
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
    ProcessTempDirectory.install();
    System.exit(execute(args));
  }
}
