package co.pqrs.lakehouse.transforms.silver;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.PreclassRules;
import co.pqrs.lakehouse.config.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PreclassifierTest {
  private final Preclassifier c = new Preclassifier(LakehouseConfig.packaged().preclass(), "v1-test");

  @Test
  void accentsCaseAndPunctuationDoNotMatter() {
    Preclassifier.Result r = c.classify("¡QUEJA! Pésima atención; MALTRATO del funcionario.");
    assertThat(r.type().label(), equalTo("Q"));
    assertThat(r.type().matched(), equalTo(List.of("maltrato", "queja")));
    assertThat(r.type().score(), is(1.0));
    assertThat(r.rulesVersion(), equalTo("v1-test"));
  }

  @Test
  void multiWordKeywordsAndScores() {
    Preclassifier.Result r = c.classify("Derecho de petición: solicito copia. Además una queja.");
    // P: "derecho de peticion", "peticion", "solicito", "copia" = 4 hits; Q: "queja" = 1.
    assertThat(r.type().label(), equalTo("P"));
    assertThat(r.type().score(), closeTo(4 / 5.0, 1e-12));
  }

  @Test
  void tiesGoToTheClassListedFirstInTheRules() {
    // One R keyword and one Q keyword: Q is listed before R in pqrs_preclass_rules_v1.yaml.
    Preclassifier.Result r = c.classify("reclamo y queja");
    assertThat(r.type().label(), equalTo("Q"));
    assertThat(r.type().score(), is(0.5));
  }

  @Test
  void noMatchIsUnclassifiedWithScoreZero() {
    Preclassifier.Result r = c.classify("Buenos días, me comunico por el alumbrado.");
    assertThat(r.type().label(), equalTo(Preclassifier.UNCLASSIFIED));
    assertThat(r.type().score(), is(0.0));
    assertThat(r.type().matched(), equalTo(List.of()));
    assertThat(c.classify(null).type().label(), equalTo(Preclassifier.UNCLASSIFIED));
  }

  @Test
  void priorityKeywords() {
    assertThat(c.classify("URGENTE, riesgo para la salud").priority().label(), equalTo("alta"));
    assertThat(c.classify("cuando sea posible").priority().label(), equalTo("baja"));
    // A keyword inside another word does not count: "saludo" is not "salud".
    assertThat(c.classify("Cordial saludo").priority().label(), equalTo(Preclassifier.UNCLASSIFIED));
  }

  @Test
  void aKeywordInTwoClassesOrTwiceInOneCountsForEach() {
    Map<String, PreclassRules.TypeRule> types = new LinkedHashMap<>();
    types.put("A", new PreclassRules.TypeRule("a", List.of("x", "x y", "x")));
    types.put("B", new PreclassRules.TypeRule("b", List.of("y x", "x")));
    Preclassifier p = new Preclassifier(new PreclassRules(types, Map.of()), "t");
    // A: x 3 times, twice listed (6), "x y" once (7); B: "y x" once, x 3 times (4).
    Preclassifier.Prediction r = p.classify("x y x, x").type();
    assertThat(r.label(), equalTo("A"));
    assertThat(r.score(), closeTo(7 / 11.0, 1e-12));
    assertThat(r.matched(), equalTo(List.of("x", "x y", "y x")));
  }

  /**
   * The classifier looks each word of a text up among the keywords' first words; it must count what
   * trying every keyword at every word counts (the plain rule of the class comment, written out below).
   */
  @Test
  void countsWhatTryingEveryKeywordAtEveryWordCounts() {
    PreclassRules rules = LakehouseConfig.packaged().preclass();
    Map<String, List<String>> types = new LinkedHashMap<>();
    rules.types().forEach((k, v) -> types.put(k, v.keywords()));
    List<String> words = new ArrayList<>(List.of("de", "la", "saludo", "peticiones", "Petición", "QUEJA", "señor"));
    types.values().forEach(ks -> ks.forEach(k -> words.addAll(List.of(k.split(" ")))));
    rules.priorities().values().forEach(ks -> ks.forEach(k -> words.addAll(List.of(k.split(" ")))));
    String[] separators = {" ", " ", ", ", ". ", "¡", " - "};
    Random random = new Random(20261207);
    int classified = 0;
    for (int n = 0; n < 5000; n++) {
      StringBuilder text = new StringBuilder();
      for (int w = random.nextInt(40); w > 0; w--) {
        text.append(words.get(random.nextInt(words.size()))).append(separators[random.nextInt(separators.length)]);
      }
      Preclassifier.Result got = c.classify(text.toString());
      String[] tokens = Text.tokens(text.toString());
      assertThat(text.toString(), got.type(), equalTo(everyKeywordAtEveryWord(tokens, types)));
      assertThat(text.toString(), got.priority(), equalTo(everyKeywordAtEveryWord(tokens, rules.priorities())));
      classified += got.type().label().equals(Preclassifier.UNCLASSIFIED) ? 0 : 1;
    }
    assertThat("texts with a type keyword", classified > 2500, is(true));
  }

  private static Preclassifier.Prediction everyKeywordAtEveryWord(String[] tokens, Map<String, List<String>> classes) {
    String best = Preclassifier.UNCLASSIFIED;
    int bestHits = 0;
    int total = 0;
    TreeSet<String> matched = new TreeSet<>();
    for (Map.Entry<String, List<String>> c : classes.entrySet()) {
      int hits = 0;
      for (String keyword : c.getValue()) {
        String[] k = Text.tokens(keyword);
        for (int i = 0; i + k.length <= tokens.length; i++) {
          if (java.util.Arrays.equals(tokens, i, i + k.length, k, 0, k.length)) {
            hits++;
            matched.add(String.join(" ", k));
          }
        }
      }
      total += hits;
      if (hits > bestHits) {
        best = c.getKey();
        bestHits = hits;
      }
    }
    return new Preclassifier.Prediction(best, total == 0 ? 0.0 : bestHits / (double) total, List.copyOf(matched));
  }

  @Test
  void silverDocumentsEveryColumnOfEveryTable() throws Exception {
    String doc = new String(PreclassifierTest.class.getClassLoader()
        .getResourceAsStream("pqrs/contracts/v1/SILVER.md").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    for (SilverTables t : SilverTables.values()) {
      assertThat(doc.contains("## `silver/" + t.table + "/"), is(true));
      for (org.apache.avro.Schema.Field f : t.schema().getFields()) {
        assertThat(t.table + "." + f.name(), doc.contains("| `" + f.name() + "` |"), is(true));
      }
    }
  }
}
