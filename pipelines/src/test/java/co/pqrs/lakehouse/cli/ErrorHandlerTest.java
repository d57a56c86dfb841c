package co.pqrs.lakehouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How the CLI names a JVM that ran out of memory, wherever in an exception's causes it is. */
class ErrorHandlerTest {
  private static final String FIX = " with a heap of at most " + Runtime.getRuntime().maxMemory() / (1 << 20)
      + " MB: give the JVM more, java -Xmx2g -jar ... (make run HEAP=2g)";

  @Test
  void anOutOfMemoryErrorAmongTheCausesIsOneLineWithTheFix() {
    RuntimeException beam = new RuntimeException("Pipeline execution failed",
        new IllegalStateException("Job execution failed.", new OutOfMemoryError("Java heap space")));
    assertEquals("out of memory (Java heap space)" + FIX, ErrorHandler.outOfMemory(beam));
  }

  @Test
  void flinksAdviceAboutItsClusterSettingsIsLeftOut() {
    OutOfMemoryError flink = new OutOfMemoryError("Direct buffer memory. The direct out-of-memory error has occurred. "
        + "This can mean two things: either job(s) require(s) a larger size of JVM direct memory or ...");
    assertEquals("out of memory (Direct buffer memory)" + FIX, ErrorHandler.outOfMemory(new RuntimeException(flink)));
  }

  /** A failure that crossed Flink's RPC keeps the error's class in its text only (SerializedThrowable). */
  @Test
  void anErrorKnownOnlyByItsTextCountsToo() {
    Exception serialized = new Exception("java.lang.OutOfMemoryError: Java heap space") {
      @Override
      public String toString() {
        return getMessage();
      }
    };
    assertEquals("out of memory (Java heap space)" + FIX, ErrorHandler.outOfMemory(serialized));
    assertEquals("out of memory" + FIX, ErrorHandler.outOfMemory(new OutOfMemoryError()));
  }

  @Test
  void duckDbsWordForItCountsToo() {
    java.sql.SQLException duckDb = new java.sql.SQLException("Invalid Error: Java heap space");
    assertEquals("out of memory (Java heap space)" + FIX, ErrorHandler.outOfMemory(new RuntimeException(duckDb)));
    assertNull(ErrorHandler.outOfMemory(new java.sql.SQLException("Catalog Error: Table with name x does not exist!")));
  }

  @Test
  void otherFailuresAreNotCalledMemory() {
    assertNull(ErrorHandler.outOfMemory(new RuntimeException("Pipeline execution failed", new IllegalStateException("x"))));
    assertNull(ErrorHandler.outOfMemory(new StackOverflowError()));
  }
}
