package co.pqrs.lakehouse.transforms.silver;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import co.pqrs.lakehouse.config.LakehouseConfig;
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
