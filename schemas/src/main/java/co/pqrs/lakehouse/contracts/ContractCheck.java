package co.pqrs.lakehouse.contracts;

import co.pqrs.lakehouse.config.ConfigException;
import co.pqrs.lakehouse.config.PreclassRules;
import co.pqrs.lakehouse.config.SimulationConfig;
import co.pqrs.lakehouse.config.StatusModel;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Facts that two files state and that must agree: the contract's enums against the configuration's
 * categories and states. The vocabulary lives in the contract; config files may not drift from it.
 */
public final class ContractCheck {
  private ContractCheck() {}

  private static void same(String file, String key, Set<String> config, List<String> contract, String what) {
    if (!config.equals(new LinkedHashSet<>(contract))) {
      throw new ConfigException(file, key,
          config + " differ from the " + what + " of " + RawContract.FILE + " " + contract);
    }
  }

  public static void check(RawContract c, SimulationConfig sim, StatusModel status, PreclassRules rules) {
    String f = SimulationConfig.FILE;
    same(f, "channel_probs", new LinkedHashSet<>(sim.channels().names()), c.channels(), "channels");
    same(f, "pqrs_type_probs", new LinkedHashSet<>(sim.pqrsTypes().names()), c.pqrsTypes(), "PQRS types");
    same(f, "priority_probs", new LinkedHashSet<>(sim.priorities().names()), c.priorities(), "priorities");
    same(StatusModel.FILE, "states", status.states().keySet(), c.statuses(), "statuses");
    same(PreclassRules.FILE, "types", rules.types().keySet(), c.pqrsTypes(), "PQRS types");
    same(PreclassRules.FILE, "priorities", rules.priorities().keySet(), c.priorities(), "priorities");
    for (String step : sim.lifecycle().stepWeights().keySet()) {
      if (!status.states().containsKey(step)) {
        throw new ConfigException(f, "lifecycle.step_weights." + step, "not a state of " + StatusModel.FILE);
      }
    }
  }
}
