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
    return new CommandLine(new PqrsCli()).setExecutionExceptionHandler(new ErrorHandler()).execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
