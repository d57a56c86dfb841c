package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.config.PreclassRules;
import co.pqrs.lakehouse.config.SimulationConfig;
import co.pqrs.lakehouse.config.Text;
import java.io.Serializable;
import java.util.Locale;

/**
 * Citizen and agent texts: templates from the simulation config, keywords from the pre-classification
 * rules, and the noise real writing has (no keyword, missing accents, typos, shouting).
 */
final class TextMaker implements Serializable {
  private final SimulationConfig.Text cfg;
  private final PreclassRules rules;

  TextMaker(SimulationConfig.Text cfg, PreclassRules rules) {
    this.cfg = cfg;
    this.rules = rules;
  }

  String topic(SplitMix64 rng) {
    return rng.pick(cfg.topics());
  }

  String subject(String type, String topic, SplitMix64 rng) {
    return rng.pick(cfg.subjectTemplates())
        .replace("{type_label}", rules.types().get(type).label())
        .replace("{topic}", topic);
  }

  String citizen(String type, String priority, String topic, SplitMix64 rng) {
    String typeKw = rng.chance(cfg.noKeywordRate())
        ? rng.pick(cfg.neutralPhrases())
        : rng.pick(rules.types().get(type).keywords());
    String prioKw = rng.chance(cfg.priorityKeywordRate())
        ? capitalize(rng.pick(rules.priorities().get(priority))) + "."
        : "";
    String t = rng.pick(cfg.citizenTemplates())
        .replace("{type_kw}", typeKw)
        .replace("{topic}", topic)
        .replace("{priority_kw}", prioKw)
        .replaceAll("\\s+", " ")
        .trim();
    return noise(t, rng);
  }

  String agent(String topic, SplitMix64 rng) {
    return rng.pick(cfg.agentTemplates()).replace("{topic}", topic);
  }

  private String noise(String t, SplitMix64 rng) {
    if (rng.chance(cfg.missingAccentsRate())) {
      t = Text.stripAccents(t);
    }
    if (rng.chance(cfg.typoRate())) {
      t = typo(t, rng);
    }
    if (rng.chance(cfg.mixedCaseRate())) {
      t = t.toUpperCase(Locale.ROOT);
    }
    return t;
  }

  /** Swaps two adjacent letters inside one word of five letters or more. */
  private static String typo(String t, SplitMix64 rng) {
    String[] words = t.split(" ");
    java.util.List<Integer> candidates = new java.util.ArrayList<>();
    for (int i = 0; i < words.length; i++) {
      if (words[i].length() >= 5 && words[i].chars().allMatch(Character::isLetter)) {
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      return t;
    }
    int w = rng.pick(candidates);
    char[] c = words[w].toCharArray();
    int p = 1 + rng.nextInt(c.length - 2);
    char tmp = c[p];
    c[p] = c[p + 1];
    c[p + 1] = tmp;
    words[w] = new String(c);
    return String.join(" ", words);
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
