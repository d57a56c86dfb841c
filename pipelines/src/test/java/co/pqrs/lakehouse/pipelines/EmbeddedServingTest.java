package co.pqrs.lakehouse.pipelines;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/** The serving scenarios on the embedded DuckDB store a plain `pqrs run` uses. */
class EmbeddedServingTest extends ServingScenarios {
  private Path dir;

  @Override
  Path newRoot() throws Exception {
    dir = Files.createTempDirectory("pqrs-embedded-");
    return dir.resolve("lakehouse");
  }

  @Override
  String jdbcUrl() {
    return null;
  }

  @AfterAll
  void cleanUp() throws Exception {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
