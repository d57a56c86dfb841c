package co.pqrs.lakehouse.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keyword lists per PQRS type and priority ({@code docs/07-config/pqrs_preclass_rules_v1.yaml}). */
public record PreclassRules(Map<String, TypeRule> types, Map<String, List<String>> priorities)
    implements Serializable {

  public static final String FILE = "pqrs_preclass_rules_v1.yaml";

  public record TypeRule(String label, List<String> keywords) implements Serializable {}

  public static PreclassRules parse(String source, String yaml) {
    YamlNode root = YamlNode.parse(source, yaml);
    root.intInRange("version", 1, 1);
    Map<String, TypeRule> types =
        new LinkedHashMap<>(
            root.entries("types", n -> k -> {
              YamlNode t = n.map(k);
              TypeRule r = new TypeRule(t.string("label"), lowerCaseKeywords(t));
              t.done();
              return r;
            }));
    Map<String, List<String>> priorities =
        new LinkedHashMap<>(
            root.entries("priorities", n -> k -> {
              YamlNode p = n.map(k);
              List<String> kw = lowerCaseKeywords(p);
              p.done();
              return kw;
            }));
    root.done();
    return new PreclassRules(java.util.Collections.unmodifiableMap(types),
        java.util.Collections.unmodifiableMap(priorities));
  }

  private static List<String> lowerCaseKeywords(YamlNode n) {
    List<String> kw = n.strings("keywords");
    for (int i = 0; i < kw.size(); i++) {
      String k = kw.get(i);
      if (!k.equals(k.toLowerCase(java.util.Locale.ROOT)) || !k.equals(Text.fold(k))) {
        throw n.error("keywords[" + i + "]",
            "\"" + k + "\" must be written in lower case without accents (matching folds text)");
      }
      if (Text.tokens(k).length == 0) {
        throw n.error("keywords[" + i + "]", "\"" + k + "\" has no letter or digit to match");
      }
    }
    return kw;
  }
}
