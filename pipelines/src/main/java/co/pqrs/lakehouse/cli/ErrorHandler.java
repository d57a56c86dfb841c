package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.config.ConfigException;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import picocli.CommandLine;

/**
 * Turns the errors a user can fix (bad config, bad option, an existing run) into one line on stderr
 * and exit code 2; anything else keeps its stack trace (exit 1), because it is a bug.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  static Throwable userError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConfigException
          || c instanceof RunPublisher.RunExistsException
          || c instanceof RunPublisher.QualityFailedException
          || c instanceof RunPublisher.RunDamagedException
          || c instanceof IllegalArgumentException) {
        return c;
      }
    }
    return null;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    Throwable user = userError(ex);
    if (user != null) {
      cmd.getErr().println(cmd.getCommandName() + ": error: " + user.getMessage());
      return 2;
    }
    ex.printStackTrace(cmd.getErr());
    return 1;
  }
}
