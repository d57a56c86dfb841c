package co.pqrs.lakehouse.transforms.gold;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A grain as one string key: its parts joined by a unit separator. Days are written ISO (yyyy-MM-dd)
 * so sorting the keys sorts days in time.
 */
public final class Grain {
  private static final char SEP = '\u001f';
  private static final String SEPARATOR = String.valueOf(SEP);

  private Grain() {}

  public static String of(Object... parts) {
    // String.join sizes the key once; a StringBuilder grew it part by part (a grain is made for every
    // contribution of every ticket to every KPI).
    String[] text = new String[parts.length];
    for (int i = 0; i < parts.length; i++) {
      text[i] = String.valueOf(parts[i]);
    }
    return String.join(SEPARATOR, text);
  }

  public static List<String> parts(String grain) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= grain.length(); i++) {
      if (i == grain.length() || grain.charAt(i) == SEP) {
        out.add(grain.substring(start, i));
        start = i + 1;
      }
    }
    return out;
  }

  public static LocalDate day(String part) {
    return LocalDate.parse(part);
  }
}
