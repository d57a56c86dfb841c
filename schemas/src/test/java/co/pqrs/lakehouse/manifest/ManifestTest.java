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
