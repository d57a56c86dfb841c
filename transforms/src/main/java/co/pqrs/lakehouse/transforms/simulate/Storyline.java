package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.config.ConfigException;
import co.pqrs.lakehouse.config.SimulationConfig;
import co.pqrs.lakehouse.config.StatusModel;
import co.pqrs.lakehouse.config.StatusModel.SlaBehavior;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The roles the simulator needs, read off the state machine rather than named in code: the main path
 * (the step_weights keys, in order, from the initial state), the pause state and where it branches
 * off, the stop state, the reopen state and where it rejoins the path, and the archive state.
 * Construction fails with a one-line error when the configuration does not describe such a story.
 */
record Storyline(
    String initial,
    List<String> path,
    List<Double> weights,
    String pauseFrom,
    String pause,
    String stop,
    String reopen,
    String reopenTo,
    String archive)
    implements Serializable {

  static Storyline of(StatusModel m, SimulationConfig c) {
    String src = SimulationConfig.FILE;
    List<String> path = new ArrayList<>(c.lifecycle().stepWeights().keySet());
    List<Double> weights = new ArrayList<>(c.lifecycle().stepWeights().values());
    String prev = m.initialState();
    for (String s : path) {
      if (!m.allows(prev, s)) {
        throw new ConfigException(src, "lifecycle.step_weights",
            "path step " + prev + " -> " + s + " is not a transition of " + StatusModel.FILE);
      }
      prev = s;
    }
    String stop = path.get(path.size() - 1);
    if (m.state(stop).slaBehavior() != SlaBehavior.STOP) {
      throw new ConfigException(src, "lifecycle.step_weights", "the last step " + stop + " must be a STOP state");
    }
    String pause = null;
    String pauseFrom = null;
    for (String s : path) {
      for (String n : m.next(s)) {
        if (m.state(n).slaBehavior() == SlaBehavior.PAUSE && m.allows(n, s)) {
          pause = n;
          pauseFrom = s;
        }
      }
    }
    String reopen = null;
    String reopenTo = null;
    String archive = null;
    for (String n : m.next(stop)) {
      StatusModel.State st = m.state(n);
      if (st.clockRuns()) {
        for (String back : m.next(n)) {
          if (path.contains(back)) {
            reopen = n;
            reopenTo = back;
          }
        }
      } else if (st.isTerminal()) {
        archive = n;
      }
    }
    if (pause == null || reopen == null || archive == null) {
      throw new ConfigException(StatusModel.FILE, "transitions",
          "needs a pause state that returns to the path, a reopen state after " + stop
              + " that rejoins the path, and a terminal archive state after " + stop);
    }
    return new Storyline(m.initialState(), List.copyOf(path), List.copyOf(weights), pauseFrom, pause, stop,
        reopen, reopenTo, archive);
  }

  /** Steps from {@code from} (exclusive) to the stop state, with their weights. */
  List<Integer> stepsAfter(String from) {
    List<Integer> idx = new ArrayList<>();
    for (int i = path.indexOf(from) + 1; i < path.size(); i++) {
      idx.add(i);
    }
    return idx;
  }
}
