package co.pqrs.lakehouse.pipelines;

/** The serving scenarios on the embedded DuckDB store a plain `pqrs run` uses. */
class EmbeddedServingTest extends ServingScenarios {
  @Override
  String jdbcUrl() {
    return null;
  }
}
