package co.pqrs.lakehouse.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The ticket state machine ({@code docs/07-config/pqrs_status_v1.yaml}). */
public record StatusModel(String initialState, Map<String, State> states, Set<Transition> transitions)
    implements Serializable {

  public static final String FILE = "pqrs_status_v1.yaml";

  public enum SlaBehavior { NONE, START, RUN, PAUSE, STOP }

  public record State(String name, boolean isTerminal, SlaBehavior slaBehavior, String label)
      implements Serializable {
    /** Whether time spent in this state counts toward the SLA. */
    public boolean clockRuns() {
      return slaBehavior == SlaBehavior.START || slaBehavior == SlaBehavior.RUN;
    }
  }

  public record Transition(String from, String to) implements Serializable {}

  public boolean allows(String from, String to) {
    return transitions.contains(new Transition(from, to));
  }

  public State state(String name) {
    State s = states.get(name);
    if (s == null) {
      throw new IllegalArgumentException("unknown state " + name);
    }
    return s;
  }

  /** States reachable in one step from {@code from}, in file order. */
  public List<String> next(String from) {
    List<String> out = new ArrayList<>();
    for (Transition t : transitions) {
      if (t.from().equals(from)) {
        out.add(t.to());
      }
    }
    return out;
  }

  public static StatusModel parse(String source, String yaml) {
    YamlNode root = YamlNode.parse(source, yaml);
    root.intInRange("version", 1, 1);
    String initial = root.string("initial_state");
    Map<String, State> states = new LinkedHashMap<>();
    for (YamlNode n : root.maps("states")) {
      String name = n.string("name");
      SlaBehavior behavior;
      String raw = n.string("sla_behavior");
      try {
        behavior = SlaBehavior.valueOf(raw);
      } catch (IllegalArgumentException e) {
        throw n.error("sla_behavior", "\"" + raw + "\" not in " + List.of(SlaBehavior.values()));
      }
      State s = new State(name, n.bool("is_terminal"), behavior, n.string("label"));
      n.done();
      if (states.put(name, s) != null) {
        throw n.error("name", "state " + name + " is declared twice");
      }
    }
    if (!states.containsKey(initial)) {
      throw root.error("initial_state", "unknown state " + initial);
    }
    Set<Transition> transitions = new LinkedHashSet<>();
    for (YamlNode n : root.maps("transitions")) {
      String from = n.string("from");
      String to = n.string("to");
      n.done();
      if (!states.containsKey(from)) {
        throw n.error("from", "unknown state " + from);
      }
      if (!states.containsKey(to)) {
        throw n.error("to", "unknown state " + to);
      }
      if (!transitions.add(new Transition(from, to))) {
        throw n.error(null, "transition " + from + " -> " + to + " is declared twice");
      }
    }
    root.done();
    return new StatusModel(initial, java.util.Collections.unmodifiableMap(states),
        java.util.Collections.unmodifiableSet(transitions));
  }
}
