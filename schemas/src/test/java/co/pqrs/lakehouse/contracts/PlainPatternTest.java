package co.pqrs.lakehouse.contracts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import co.pqrs.lakehouse.config.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PlainPatternTest {
  /** Every pattern the Raw contract states, read from the schema. */
  private static List<String> contractPatterns() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(Source.packaged(Source.Kind.CONTRACTS, RawContract.FILE).bytes());
    List<String> out = new ArrayList<>();
    collect(schema, out);
    return out;
  }

  private static void collect(JsonNode n, List<String> out) {
    if (n.isObject()) {
      n.fields().forEachRemaining(e -> {
        if (e.getKey().equals("pattern") && e.getValue().isTextual()) {
          out.add(e.getValue().textValue());
        } else {
          collect(e.getValue(), out);
        }
      });
    } else if (n.isArray()) {
      n.forEach(x -> collect(x, out));
    }
  }

  private static String mutate(Random r, String seed, String alphabet) {
    StringBuilder s = new StringBuilder(seed);
    int edits = r.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = s.length() == 0 ? 0 : r.nextInt(s.length());
      switch (r.nextInt(3)) {
        case 0 -> {
          if (s.length() > 0) {
            s.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
          }
        }
        case 1 -> {
          if (s.length() > 0) {
            s.deleteCharAt(at);
          }
        }
        default -> s.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
      }
    }
    return s.toString();
  }

  /** Finds what java.util.regex finds, on seeded strings near matches; counts of both answers returned. */
  private static int[] agree(String regex, List<String> seeds, String alphabet, int rounds) {
    PlainPattern plain = PlainPattern.parse(regex);
    assertThat(regex, plain, notNullValue());
    Pattern java = Pattern.compile(regex);
    Random r = new Random(regex.hashCode());
    int[] found = new int[2];
    for (int i = 0; i < rounds; i++) {
      String s = mutate(r, seeds.get(r.nextInt(seeds.size())), alphabet);
      boolean expected = java.matcher(s).find();
      assertThat(regex + " on \"" + s + "\"", plain.find(s), equalTo(expected));
      found[expected ? 1 : 0]++;
    }
    return found;
  }

  @Test
  void theContractsPatternsAreFoundWhereJavaFindsThem() throws Exception {
    List<String> patterns = contractPatterns();
    assertThat(patterns.size(), greaterThan(3));
    List<String> seeds = List.of("0b1f6a53-8e0c-3d6f-9a51-2f1d1c0e5b11", "2025-03-17T08:15:00.123-05:00",
        "2025-03-17T08:15:00Z", "11001", "image/svg+xml", "application/pdf", "", "ñ\uD83D\uDE00");
    for (String regex : patterns) {
      int[] found = agree(regex, seeds, "0123456789abcdefxyzABZ-+:./T ñ", 20_000);
      assertThat(regex + " matched nothing", found[1], greaterThan(100));
      assertThat(regex + " refused nothing", found[0], greaterThan(100));
    }
  }

  @Test
  void groupsAlternativesAndQuantifiersMatchAsJavaDoes() {
    List<String> seeds = List.of("", "a", "ab", "abc", "aabac", "ba", "ccc", "a.b", "+1.50", "-", "ñá");
    String alphabet = "abc+-.01ñáúÿ";
    for (String regex : List.of("^(ab|a)*c$", "^(a?){2}$", "[+-]?[0-9]+(\\.[0-9]{1,3})?", "(a|b|)+c",
        "^a{2,}b{0,1}$", "^[a-c-9]+$", "^\\.\\-\\+$", "^((a|b)c)*$", "^[ñá]+$", "ab", "b$", "", "^", "^$",
        "^(a|ab)(c|bcd)?$", "a{0}b", "^(a*)*b$", "^[ab]*b$", "^a[a-c]{1,3}c$",
        "^[á-ú]+$", "[ñ-ÿ]b", "^(a[ñá]|[b-ÿ]{2})*$")) {
      int[] found = agree(regex, seeds, alphabet, 3_000);
      assertThat(regex + " decided nothing", found[0] + found[1], equalTo(3_000));
    }
  }

  @Test
  void longStringsAreMatchedInOnePassAndDialectsAreRefused() {
    // One table lookup per character: no recursion, so no length is too long.
    String many = "ab".repeat(100_000);
    assertThat(PlainPattern.parse("^(ab)*$").find(many), equalTo(true));
    assertThat(PlainPattern.parse("^(ab)*$").find(many + "a"), equalTo(false));
    assertThat(PlainPattern.parse("(ab){3}c").find(many + "c"), equalTo(true));
    assertThat(PlainPattern.parse("^[a-z]{1,1000}$").find("q".repeat(1000)), equalTo(true));
    assertThat(PlainPattern.parse("^[a-z]{1,1000}$").find("q".repeat(1001)), equalTo(false));
    for (String regex : List.of(".", "a.b", "\\d", "\\s", "[^a]", "(?:a)", "(?=a)", "a*?", "a++", "^a|b$",
        "[[a]]", "[a&&b]", "\\p{L}", "a{2", "a{3,1}", "\uD83D\uDE00", "]", "[]", "a)", "(a", "*a", "[z-a]")) {
      assertThat(regex, PlainPattern.parse(regex), nullValue());
    }
    // Written out, these would take more positions or table cells than a contract's pattern should.
    for (String regex : List.of("^a{5000}$", "^((a{100}){100})$", "^(a|b)*a(a|b){20}$")) {
      assertThat(regex, PlainPattern.parse(regex), nullValue());
    }
    // The one place it differs from java.util.regex on purpose: $ is the end of the string.
    assertThat(PlainPattern.parse("^ab$").find("ab\n"), equalTo(false));
    assertThat(Pattern.compile("^ab$").matcher("ab\n").find(), equalTo(true));
  }
}
