package co.pqrs.lakehouse.transforms.silver;

import co.pqrs.lakehouse.config.PreclassRules;
import co.pqrs.lakehouse.config.Text;
import java.text.Normalizer;
import java.util.Locale;
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
      out.add(tokens(k));
    }
    return out;
  }

  /**
   * The text's words: {@link Text#fold folded} (lower case, accents removed), then every run of
   * {@code a-z} and {@code 0-9}; anything else separates words. Read by hand, not by regular
   * expressions: it runs on the text of every ticket (PreclassifierTest holds it to the rule written
   * with them).
   */
  public static String[] tokens(String text) {
    String d = Normalizer.normalize(text, Normalizer.Form.NFD);
    StringBuilder unmarked = new StringBuilder(d.length());
    for (int i = 0; i < d.length(); ) {
      int cp = d.codePointAt(i);
      int type = Character.getType(cp);
      if (type != Character.NON_SPACING_MARK && type != Character.ENCLOSING_MARK
          && type != Character.COMBINING_SPACING_MARK) {
        unmarked.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    String lower = unmarked.toString().toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= lower.length(); i++) {
      char ch = i < lower.length() ? lower.charAt(i) : ' ';
      boolean word = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        out.add(lower.substring(start, i));
        start = -1;
      }
    }
    return out.toArray(new String[0]);
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
    String[] t = tokens(text == null ? "" : text);
    return new Result(predict(t, types), predict(t, priorities), rulesVersion);
  }
}
