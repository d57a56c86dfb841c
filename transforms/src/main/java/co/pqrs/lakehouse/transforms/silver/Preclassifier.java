package co.pqrs.lakehouse.transforms.silver;

import co.pqrs.lakehouse.config.PreclassRules;
import co.pqrs.lakehouse.config.Text;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Rules pre-classification: text normalised (lower case, no accents, no punctuation) and tokenised;
 * every keyword of {@code pqrs_preclass_rules_v1.yaml} counts its occurrences as a whole-token
 * sequence; the class with most hits wins, with score = its hits / all hits. Ties go to the class
 * listed first in the rules file; no hit at all gives {@link #UNCLASSIFIED} with score 0.
 */
public final class Preclassifier implements Serializable {
  public static final String UNCLASSIFIED = "UNCLASSIFIED";

  private final Classes types;
  private final Classes priorities;
  private final String rulesVersion;

  public Preclassifier(PreclassRules rules, String rulesVersion) {
    Map<String, List<String>> typeKeywords = new LinkedHashMap<>();
    rules.types().forEach((k, v) -> typeKeywords.put(k, v.keywords()));
    this.types = new Classes(typeKeywords);
    this.priorities = new Classes(rules.priorities());
    this.rulesVersion = rulesVersion;
  }

  /** One prediction: class, score in [0, 1], the keywords that matched (sorted). */
  public record Prediction(String label, double score, List<String> matched) implements Serializable {}

  public record Result(Prediction type, Prediction priority, String rulesVersion) implements Serializable {}

  /**
   * One set of classes and their keywords, indexed by each keyword's first word: a text's words are
   * looked up once each instead of every keyword being tried at every word (which was 2.6 % of
   * Silver's samples at 5.2 M events; docs/benchmarks/changes.md, "Fiftieth change").
   */
  private static final class Classes implements Serializable {
    private final String[] names; // in the rules file's order: a tie goes to the first
    private final String[][] keywords; // each keyword's words
    private final String[] spelled; // each keyword as Prediction.matched lists it
    private final int[] classOf;
    private final HashMap<String, int[]> byFirstWord = new HashMap<>(); // looked up, never iterated

    Classes(Map<String, List<String>> byClass) {
      names = byClass.keySet().toArray(new String[0]);
      List<String[]> words = new ArrayList<>();
      List<Integer> owners = new ArrayList<>();
      for (int c = 0; c < names.length; c++) {
        for (String k : byClass.get(names[c])) {
          String[] w = Text.tokens(k);
          if (w.length == 0) {
            throw new IllegalArgumentException("preclass rules: keyword \"" + k + "\" of class " + names[c]
                + " has no letter or digit to match");
          }
          words.add(w);
          owners.add(c);
        }
      }
      keywords = words.toArray(new String[0][]);
      spelled = new String[keywords.length];
      classOf = new int[keywords.length];
      for (int k = 0; k < keywords.length; k++) {
        spelled[k] = String.join(" ", keywords[k]);
        classOf[k] = owners.get(k);
        int[] before = byFirstWord.getOrDefault(keywords[k][0], new int[0]);
        int[] with = Arrays.copyOf(before, before.length + 1);
        with[before.length] = k; // in the rules' order, so a keyword listed twice counts twice
        byFirstWord.put(keywords[k][0], with);
      }
    }

    Prediction predict(String[] tokens) {
      int[] hits = new int[names.length];
      boolean[] found = null;
      for (int i = 0; i < tokens.length; i++) {
        int[] candidates = byFirstWord.get(tokens[i]);
        if (candidates == null) {
          continue;
        }
        for (int k : candidates) {
          if (startsAt(tokens, i, keywords[k])) {
            hits[classOf[k]]++;
            if (found == null) {
              found = new boolean[keywords.length];
            }
            found[k] = true;
          }
        }
      }
      if (found == null) {
        return new Prediction(UNCLASSIFIED, 0.0, List.of());
      }
      String best = UNCLASSIFIED;
      int bestHits = 0;
      int total = 0;
      for (int c = 0; c < names.length; c++) {
        total += hits[c];
        if (hits[c] > bestHits) { // strictly greater: on a tie the class listed first stays
          best = names[c];
          bestHits = hits[c];
        }
      }
      TreeSet<String> matched = new TreeSet<>();
      for (int k = 0; k < keywords.length; k++) {
        if (found[k]) {
          matched.add(spelled[k]);
        }
      }
      return new Prediction(best, bestHits / (double) total, List.copyOf(matched));
    }

    /** Whether {@code keyword}'s words are {@code tokens}' from {@code i} on (its first is, by the index). */
    private static boolean startsAt(String[] tokens, int i, String[] keyword) {
      if (i + keyword.length > tokens.length) {
        return false;
      }
      for (int j = 1; j < keyword.length; j++) {
        if (!tokens[i + j].equals(keyword[j])) {
          return false;
        }
      }
      return true;
    }
  }

  public Result classify(String text) {
    String[] t = Text.tokens(text == null ? "" : text);
    return new Result(types.predict(t), priorities.predict(t), rulesVersion);
  }
}
