package co.pqrs.lakehouse.manifest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTest {
  private static DataHash rows(String... lines) {
    DataHash h = DataHash.EMPTY;
    for (String l : lines) {
      h = h.plus(DataHash.ofRow(l.getBytes(StandardCharsets.UTF_8)));
    }
    return h;
  }

  @Test
  void dataHashIgnoresOrderAndSplitButNotContentOrMultiplicity() {
    DataHash whole = rows("a", "b", "c");
    DataHash split = rows("c").plus(rows("b", "a"));
    assertThat(split.hex(), equalTo(whole.hex()));
    assertThat(rows("a", "b", "d").hex(), not(equalTo(whole.hex())));
    assertThat(rows("a", "a", "b", "c").hex(), not(equalTo(whole.hex())));
    assertThat(rows("a", "a").hex(), not(equalTo(rows().hex())));
  }

  @Test
  void builderSumsAsThePerRowHashesDo() {
    // Thousands of rows: the words carry into each other and the sum wraps past 2^256 many times.
    java.util.Random random = new java.util.Random(7);
    DataHash.Builder builder = DataHash.builder();
    DataHash perRow = DataHash.EMPTY;
    for (int i = 0; i < 5_000; i++) {
      byte[] row = new byte[random.nextInt(300)];
      random.nextBytes(row);
      if (i % 3 == 0 && row.length > 1) {
        builder.update(row, 0, 1).update(row, 1, row.length - 1).endRow(); // a row fed in two parts
      } else {
        builder.add(row);
      }
      perRow = perRow.plus(DataHash.ofRow(row));
      if (i == 0) {
        assertThat(builder.build(), equalTo(perRow));
      }
    }
    assertThat(builder.build(), equalTo(perRow));
    assertThat(builder.build().hex(), equalTo(perRow.hex()));
    assertThat(DataHash.builder().build(), equalTo(DataHash.EMPTY));
  }

  @Test
  void wordsCarryAsBigIntegersDo() {
    // Digests no row gives on purpose, added from zero in this order, twice: 2^64 - 1, then
    // 2^256 - 2^64 + 1, where the second word's sum has all its bits set when the first word's carry
    // arrives (the whole sum wraps to zero), then 2^256 - 1, and three low words all ones.
    byte[][] digests = new byte[4][32];
    java.util.Arrays.fill(digests[0], 24, 32, (byte) 0xff);
    java.util.Arrays.fill(digests[1], 0, 24, (byte) 0xff);
    digests[1][31] = 1;
    java.util.Arrays.fill(digests[2], (byte) 0xff);
    java.util.Arrays.fill(digests[3], 8, 32, (byte) 0xff);
    java.math.BigInteger mod = java.math.BigInteger.ONE.shiftLeft(256);
    long[] words = new long[4];
    java.math.BigInteger sum = java.math.BigInteger.ZERO;
    for (int pass = 0; pass < 2; pass++) {
      for (byte[] d : digests) {
        DataHash.Builder.addModulo(words, d);
        sum = sum.add(new java.math.BigInteger(1, d)).mod(mod);
        byte[] bytes = new byte[32];
        for (int i = 0; i < 4; i++) {
          for (int b = 0; b < 8; b++) {
            bytes[31 - 8 * i - b] = (byte) (words[i] >>> (8 * b));
          }
        }
        assertThat(new java.math.BigInteger(1, bytes), equalTo(sum));
      }
    }
  }

  @Test
  void manifestBytesAreDeterministicAndRoundTrip() {
    List<Manifest.FileEntry> files = List.of(
        new Manifest.FileEntry("day=2025-01-02/part-00000.jsonl", "day=2025-01-02", 3, 30, "bb"),
        new Manifest.FileEntry("day=2025-01-01/part-00000.jsonl", "day=2025-01-01", 2, 20, "aa"));
    Manifest a = Manifest.of("raw", "r1", Map.of("seed", 1, "end", "2025-01-02"),
        Map.of("lines", 5L), files, rows("x"));
    Manifest b = Manifest.of("raw", "r1", Map.of("end", "2025-01-02", "seed", 1),
        Map.of("lines", 5L), List.of(files.get(1), files.get(0)), rows("x"));
    assertThat(new String(a.toJson(), StandardCharsets.UTF_8), equalTo(new String(b.toJson(), StandardCharsets.UTF_8)));
    Manifest back = Manifest.fromJson(a.toJson());
    assertThat(back.files().get(0).path(), equalTo("day=2025-01-01/part-00000.jsonl"));
    assertThat(back.partitionCounts(), equalTo(Map.of("day=2025-01-01", 2L, "day=2025-01-02", 3L)));
    assertThat(back.fingerprint(), equalTo(a.fingerprint()));
    assertThat(Manifest.fingerprint(Map.of("seed", 2, "end", "2025-01-02")), not(equalTo(a.fingerprint())));
  }
}
