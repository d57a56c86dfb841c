package co.pqrs.lakehouse.config;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Text folding shared by whoever plants keywords and whoever matches them. */
public final class Text {
  private Text() {}

  /** Lower case, accents removed (ñ becomes n), whitespace collapsed. */
  public static String fold(String s) {
    String d = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    return d.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
  }

  /**
   * The words of a text as keywords are matched: the maximal runs of {@code [a-z0-9]} in the text once
   * decomposed, its combining marks dropped and lower-cased, i.e. {@link #fold} split on anything but
   * letters and digits, in one pass over the text instead of four regular expressions (they were a
   * twentieth of Silver's CPU).
   */
  public static String[] tokens(String text) {
    String d = Normalizer.normalize(text, Normalizer.Form.NFD);
    List<String> out = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    for (int i = 0; i < d.length(); ) {
      int c = d.codePointAt(i);
      i += Character.charCount(c);
      if (isMark(c)) {
        continue; // dropped, not a separator: a letter, an accent, a letter stay one token, as in fold
      }
      int l = Character.toLowerCase(c);
      if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) {
        token.append((char) l);
      } else if (!token.isEmpty()) {
        out.add(token.toString());
        token.setLength(0);
      }
    }
    if (!token.isEmpty()) {
      out.add(token.toString());
    }
    return out.toArray(new String[0]);
  }

  /** What {@code \p{M}} matches in {@link #fold}. */
  private static boolean isMark(int c) {
    int t = Character.getType(c);
    return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK
        || t == Character.ENCLOSING_MARK;
  }

  /** Accents removed, case kept: how many citizens type. */
  public static String stripAccents(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
  }
}
