package co.pqrs.lakehouse.transforms.silver;

import co.pqrs.lakehouse.config.PreclassRules;
import co.pqrs.lakehouse.config.Text;
import java.io.Serializable;
import java.util.ArrayList;
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

  private final Map<String, List<String[]>> types = new LinkedHashMap<>();
  private final Map<String, List<String[]>> priorities = new LinkedHashMap<>();
  private final String rulesVersion;

  public Preclassifier(PreclassRules rules, String rulesVersion) {
    rules.types().forEach((k, v) -> types.put(k, tokenised(v.keywords())));
    rules.priorities().forEach((k, v) -> priorities.put(k, tokenised(v)));
    this.rulesVersion = rulesVersion;
  }

  /** One prediction: class, score in [0, 1], the keywords that matched (sorted). */
  public record Prediction(String label, double score, List<String> matched) implements Serializable {}

  public record Result(Prediction type, Prediction priority, String rulesVersion) implements Serializable {}

  private static List<String[]> tokenised(List<String> keywords) {
    List<String[]> out = new ArrayList<>();
    for (String k : keywords) {
      out.add(Text.tokens(k));
    }
    return out;
  }

  private static int occurrences(String[] tokens, String[] keyword) {
    int n = 0;
    outer:
    for (int i = 0; i + keyword.length <= tokens.length; i++) {
      for (int j = 0; j < keyword.length; j++) {
        if (!tokens[i + j].equals(keyword[j])) {
          continue outer;
        }
      }
      n++;
    }
    return n;
  }

  private static Prediction predict(String[] tokens, Map<String, List<String[]>> classes) {
    String best = UNCLASSIFIED;
    int bestHits = 0;
    int total = 0;
    TreeSet<String> matched = new TreeSet<>();
    for (Map.Entry<String, List<String[]>> c : classes.entrySet()) {
      int hits = 0;
      for (String[] kw : c.getValue()) {
        int n = occurrences(tokens, kw);
        if (n > 0) {
          hits += n;
          matched.add(String.join(" ", kw));
        }
      }
      total += hits;
      if (hits > bestHits) { // strictly greater: on a tie the class listed first stays
        best = c.getKey();
        bestHits = hits;
      }
    }
    return new Prediction(best, total == 0 ? 0.0 : bestHits / (double) total, List.copyOf(matched));
  }

  public Result classify(String text) {
    String[] t = Text.tokens(text == null ? "" : text);
    return new Result(predict(t, types), predict(t, priorities), rulesVersion);
  }
}
