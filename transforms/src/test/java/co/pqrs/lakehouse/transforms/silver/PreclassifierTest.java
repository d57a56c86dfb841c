package co.pqrs.lakehouse.transforms.silver;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.Text;
import java.util.List;
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

  /** The rule {@link Preclassifier#tokens} reads by hand, as regular expressions over {@link Text#fold}. */
  private static String[] tokensByRegex(String text) {
    String n = Text.fold(text).replaceAll("[^a-z0-9 ]+", " ").trim();
    return n.isEmpty() ? new String[0] : n.split(" +");
  }

  @Test
  void tokensFollowTheFoldingRuleOnSeededNoisyText() {
    // Letters with and without accents, capitals, digits, punctuation, every kind of white space,
    // combining marks (alone and after letters), a capital I with a dot (lower-cased to i + a mark),
    // a supplementary-plane mark and letter, and a no-break space.
    String[] pieces = {"a", "e", "z", "A", "Z", "0", "9", "á", "É", "ñ", "Ñ", "ü", "ç", "ß", " ", "  ", "\t", "\n",
        "\r", "\u000B", "\f", "\u00A0", ".", ",", ";", "¡", "!", "¿", "?", "-", "_", "'", "\"", "(", ")", "/",
        "\u0301", "\u0303", "\u20DD", "\u0903", "\u0130", "\uD834\uDD65", "\uD835\uDC00", "queja", "PETICIÓN",
        "derecho de petición", "Ａ", "１"};
    java.util.Random random = new java.util.Random(20261202L);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int n = random.nextInt(12);
      for (int j = 0; j < n; j++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      String t = text.toString();
      assertThat("tokens of \"" + t + "\"", List.of(Preclassifier.tokens(t)), equalTo(List.of(tokensByRegex(t))));
    }
    assertThat(List.of(Preclassifier.tokens("¡Derecho de PETICIÓN!\tNº 7")), equalTo(List.of("derecho", "de", "peticion", "n", "7")));
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
