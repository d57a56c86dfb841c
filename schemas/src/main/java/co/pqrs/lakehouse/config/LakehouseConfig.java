package co.pqrs.lakehouse.config;

import co.pqrs.lakehouse.contracts.ContractCheck;
import co.pqrs.lakehouse.contracts.RawContract;
import co.pqrs.lakehouse.reference.Divipola;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a pipeline reads from configuration and reference data, loaded and cross-checked once,
 * with the SHA-256 of every file it came from (recorded in manifests).
 */
public record LakehouseConfig(
    SimulationConfig simulation,
    StatusModel status,
    PreclassRules preclass,
    Divipola divipola,
    Map<String, String> hashes)
    implements Serializable {

  /** The packaged copies of docs/07-config, data/reference and data/contracts. */
  public static LakehouseConfig packaged() {
    return load(null, null, null);
  }

  /**
   * @param configDir folder with the three YAML files, or null for the packaged ones
   * @param simulationFile a simulation YAML that replaces the one in configDir, or null
   * @param referenceDir folder with the DIVIPOLA CSV files, or null for the packaged ones
   */
  public static LakehouseConfig load(Path configDir, Path simulationFile, Path referenceDir) {
    Source sim = simulationFile != null
        ? Source.file(simulationFile)
        : Source.of(configDir, Source.Kind.CONFIG, SimulationConfig.FILE);
    Source status = Source.of(configDir, Source.Kind.CONFIG, StatusModel.FILE);
    Source rules = Source.of(configDir, Source.Kind.CONFIG, PreclassRules.FILE);
    Source deps = Source.of(referenceDir, Source.Kind.REFERENCE, Divipola.DEPARTMENTS_FILE);
    Source muns = Source.of(referenceDir, Source.Kind.REFERENCE, Divipola.MUNICIPALITIES_FILE);
    Source contract = Source.packaged(Source.Kind.CONTRACTS, RawContract.FILE);

    SimulationConfig s = SimulationConfig.parse(sim.name(), sim.text());
    StatusModel st = StatusModel.parse(status.name(), status.text());
    PreclassRules pr = PreclassRules.parse(rules.name(), rules.text());
    Divipola dv = Divipola.load(deps, muns);
    ContractCheck.check(RawContract.load(contract), s, st, pr);

    Map<String, String> hashes = new TreeMap<>();
    for (Source src : new Source[] {sim, status, rules, deps, muns, contract}) {
      hashes.put(src.name(), src.sha256());
    }
    return new LakehouseConfig(s, st, pr, dv, java.util.Collections.unmodifiableMap(hashes));
  }

  public LakehouseConfig withSimulation(SimulationConfig s) {
    return new LakehouseConfig(s, status, preclass, divipola, hashes);
  }
}
