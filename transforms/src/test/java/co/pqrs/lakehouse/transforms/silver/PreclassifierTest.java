package co.pqrs.lakehouse.transforms.silver;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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

  /** The definition the one-pass tokenizer must keep: folded text, split on anything but [a-z0-9]. */
  private static String[] folded(String text) {
    String n = Text.fold(text).replaceAll("[^a-z0-9 ]+", " ").trim();
    return n.isEmpty() ? new String[0] : n.split(" +");
  }

  @Test
  void tokensAreTheFoldedTextSplitOnAnythingButLettersAndDigits() {
    List<String> texts = new ArrayList<>(List.of("", "   ", "¡QUEJA! Pésima atención;\tMALTRATO\n del funcionario.",
        "Peticio\u0301n n\u0303and\u00fa", "İstanbul \u212Aelvin ÅNGSTRÖM", "ab\uD834\uDD65cd", "x\uD835\uDC00y",
        "año 2025 -- radicado #R-00042", "\u00A0no\u00A0break\u00A0", "ＡＢＣ fullwidth", "ΣΊΣΥΦΟΣ"));
    String alphabet = "aZ9 .,;\t\nñÑáÉíÓúÜçİ\u212A\u0301\u0303\u00A0Σ-_";
    String[] astral = {"\uD834\uDD65", "\uD835\uDC00", "\uD83D\uDE00"};
    SplittableRandom rng = new SplittableRandom(20251203L);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder b = new StringBuilder();
      for (int k = rng.nextInt(12); k > 0; k--) {
        if (rng.nextInt(10) == 0) {
          b.append(astral[rng.nextInt(astral.length)]);
        } else {
          b.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        }
      }
      texts.add(b.toString());
    }
    for (String t : texts) {
      assertThat(t, Preclassifier.tokens(t), equalTo(folded(t)));
    }
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
