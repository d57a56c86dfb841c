package co.pqrs.lakehouse.config;

import java.text.Normalizer;
import java.util.Locale;

/** Text folding shared by whoever plants keywords and whoever matches them. */
public final class Text {
  private Text() {}

  /** Lower case, accents removed (ñ becomes n), whitespace collapsed. */
  public static String fold(String s) {
    String d = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    return d.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
  }

  /** Accents removed, case kept: how many citizens type. */
  public static String stripAccents(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
  }
}
