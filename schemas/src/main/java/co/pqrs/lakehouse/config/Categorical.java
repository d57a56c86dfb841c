package co.pqrs.lakehouse.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A finite distribution over named categories, kept in declaration order. */
public record Categorical(List<String> names, List<Double> probabilities) implements Serializable {

  public static Categorical of(Map<String, Double> probs) {
    return new Categorical(List.copyOf(probs.keySet()), List.copyOf(new ArrayList<>(probs.values())));
  }

  /** The category at cumulative probability {@code u} in [0, 1). */
  public String sample(double u) {
    double acc = 0;
    for (int i = 0; i < names.size(); i++) {
      acc += probabilities.get(i);
      if (u < acc) {
        return names.get(i);
      }
    }
    return names.get(names.size() - 1);
  }

  public double probability(String name) {
    int i = names.indexOf(name);
    return i < 0 ? 0.0 : probabilities.get(i);
  }
}
