package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.config.ConfigException;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import picocli.CommandLine;

/**
 * Turns the errors a user can fix (bad config, bad option, an existing run, a heap too small for the
 * input, a cluster running an older build) into one line on stderr and exit code 2; anything else keeps its stack trace (exit 1),
 * because it is a bug.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  /** The JVM's message for a full heap. */
  private static final String HEAP_SPACE = "Java heap space";

  /**
   * The one line for a JVM that ran out of memory, or null when {@code t} did not. The fix is the
   * user's (the JVM's -Xmx; make run's HEAP), and a trace of where the last allocation failed says
   * nothing about what filled the heap.
   */
  static String outOfMemory(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      // A Flink job's failure may reach the client as Flink's SerializedThrowable, which keeps the
      // original's class name in its message only.
      String text = c.toString();
      boolean error = c instanceof OutOfMemoryError || text.contains("java.lang.OutOfMemoryError");
      // DuckDB's JDBC driver reports one met while it fetches rows as an SQLException with its text.
      boolean duckDb = c instanceof java.sql.SQLException && text.contains(HEAP_SPACE);
      if (error || duckDb) {
        // The kind ("Java heap space", "Direct buffer memory") is the message's first sentence: Flink
        // appends advice about its cluster's memory settings, which an embedded run does not have.
        String kind = duckDb ? " (" + HEAP_SPACE + ")" : c.getMessage() == null ? ""
            : " (" + c.getMessage().replace("java.lang.OutOfMemoryError: ", "").split("\\. ", 2)[0] + ")";
        return "out of memory" + kind + " with a heap of at most " + Runtime.getRuntime().maxMemory() / (1 << 20)
            + " MB: give the JVM more, java -Xmx2g -jar ... (make run HEAP=2g)";
      }
    }
    return null;
  }

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
    String memory = outOfMemory(ex);
    if (memory != null) {
      cmd.getErr().println(cmd.getCommandName() + ": error: " + memory);
      return 2;
    }
    String otherCode = co.pqrs.lakehouse.pipelines.SameCode.otherCode(ex);
    if (otherCode != null) {
      cmd.getErr().println(cmd.getCommandName() + ": error: " + otherCode);
      return 2;
    }
    ex.printStackTrace(cmd.getErr());
    return 1;
  }
}
