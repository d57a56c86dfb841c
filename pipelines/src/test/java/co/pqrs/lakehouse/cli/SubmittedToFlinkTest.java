package co.pqrs.lakehouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.pipelines.BronzePipeline;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.ProgramInvocationException;
import org.junit.jupiter.api.Test;

/**
 * The jars' Main-Classes run by Flink's own program runner, as a web or REST submission without an
 * entry class runs them in the JobManager's JVM: they fail with a message, and neither exits that
 * JVM (this test's, which would end the test run) nor moves its temporary folder.
 */
class SubmittedToFlinkTest {
  static ProgramInvocationException runByFlink(String mainClass, String... args) throws Exception {
    PackagedProgram program = PackagedProgram.newBuilder().setEntryPointClassName(mainClass).setArguments(args).build();
    try {
      return assertThrows(ProgramInvocationException.class, program::invokeInteractiveModeForExecution);
    } finally {
      program.close();
    }
  }

  static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @Test
  void theCommandLineRunByFlinkThrowsItsErrorInsteadOfExiting() throws Exception {
    String tmp = System.getProperty("java.io.tmpdir");
    // The program arguments of a layer, as typed into the web UI with the entry class left empty.
    ProgramInvocationException e = runByFlink(PqrsCli.class.getName(), "--runner=FlinkRunner", "--runId=r1");
    String m = rootMessage(e);
    assertTrue(m.startsWith("pqrs: exit code 2: Unknown options: '--runner=FlinkRunner'"), m);
    assertTrue(m.contains("co.pqrs.lakehouse.pipelines.*Pipeline"), m);
    assertEquals(tmp, System.getProperty("java.io.tmpdir"), "the JVM's temporary folder is not the command's");
  }

  @Test
  void aCommandThatSucceedsUnderFlinkReturns() throws Exception {
    PackagedProgram program = PackagedProgram.newBuilder().setEntryPointClassName(PqrsCli.class.getName())
        .setArguments("--version").build();
    program.invokeInteractiveModeForExecution();
    program.close();
    assertFalse(PqrsCli.calledByFlink(), "only frames of Flink's program runner count");
  }

  @Test
  void theJobJarsMainClassNamesTheLayersEntryClasses() throws Exception {
    String m = rootMessage(runByFlink("co.pqrs.lakehouse.pipelines.JobJarEntry", "--runner=FlinkRunner"));
    assertTrue(m.startsWith("pqrs-lakehouse-job.jar runs one layer per job: set the entry class to "), m);
    assertTrue(m.contains(BronzePipeline.class.getName() + ", "), m);
  }
}
