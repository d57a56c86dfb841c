package co.pqrs.lakehouse.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Keywords are matched on Text.tokens, which must stay what folding and splitting the text gives. */
class TextTest {
  /** The definition the one-pass tokens must keep: folded text, split on anything but [a-z0-9]. */
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
      assertThat(t, Text.tokens(t), equalTo(folded(t)));
    }
  }
}
