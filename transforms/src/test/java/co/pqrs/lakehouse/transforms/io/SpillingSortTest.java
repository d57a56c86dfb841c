package co.pqrs.lakehouse.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillingSortTest {
  @TempDir Path dir;

  // Sorted by key only: values with one key are ties, which the merge must keep in source order.
  private static final Comparator<KV<Integer, String>> BY_KEY = Comparator.comparing(KV::getKey);
  private static final KvCoder<Integer, String> CODER = KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of());

  private SpillingSort<KV<Integer, String>> sort(long heldBytes) {
    return new SpillingSort<>(BY_KEY, CODER, kv -> 10 + kv.getValue().length(), heldBytes, dir);
  }

  private static List<KV<Integer, String>> values(int n) {
    Random random = new Random(7);
    List<KV<Integer, String>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // Few keys, so that ties cross runs; one value with an empty string and one very long.
      String v = i == 3 ? "" : i == 5 ? "x".repeat(100_000) : "v" + i + "ñ";
      out.add(KV.of(random.nextInt(50) - 25, v));
    }
    return out;
  }

  private static List<KV<Integer, String>> drain(Iterator<KV<Integer, String>> it) {
    List<KV<Integer, String>> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void aGroupLargerThanItHoldsIsSortedInRunsOnDiskInTheOrderOfASortInMemory() throws IOException {
    List<KV<Integer, String>> in = values(5_000);
    List<KV<Integer, String>> expected = new ArrayList<>(in);
    expected.sort(BY_KEY);
    List<KV<Integer, String>> keys = new ArrayList<>();
    try (SpillingSort<KV<Integer, String>> s = sort(2_000)) {
      in.forEach(s::add);
      assertThat(s.runs() > 10, is(true));
      assertThat("not held whole once a run is on disk", s.heldWhole(), is(nullValue()));
      assertThat(files().size(), is(s.runs()));
      keys.addAll(drain(s.sorted()));
      assertThat(s.spilled() > 4_000, is(true));
      assertThat(s.spillNote("a writer"), equalTo("more than a writer holds (0.0 MB): " + s.spilled()
          + " of them sorted in " + s.runs() + " runs on local disk"));
    }
    assertThat(keys.stream().map(KV::getKey).toList(), equalTo(expected.stream().map(KV::getKey).toList()));
    // Every value came back, once.
    assertThat(keys.stream().map(KV::getValue).sorted().toList(),
        equalTo(in.stream().map(KV::getValue).sorted().toList()));
    assertThat("the runs are deleted", files(), is(empty()));
  }

  @Test
  void tiesComeInTheOrderTheyWereAddedAcrossRuns() throws IOException {
    try (SpillingSort<KV<Integer, String>> s = sort(25)) {
      for (int i = 0; i < 12; i++) {
        s.add(KV.of(i % 2, "v" + i));
      }
      List<String> out = drain(s.sorted()).stream().map(KV::getValue).toList();
      assertThat(out, equalTo(List.of("v0", "v2", "v4", "v6", "v8", "v10", "v1", "v3", "v5", "v7", "v9", "v11")));
    }
  }

  @Test
  void aGroupThatFitsNeverTouchesTheDisk() throws IOException {
    try (SpillingSort<KV<Integer, String>> s = sort(1 << 20)) {
      values(100).forEach(s::add);
      // Held whole, in the order they came: a caller may use them as they are.
      assertThat(s.heldWhole(), equalTo(values(100)));
      assertThat(drain(s.sorted()).size(), is(100));
      assertThat(s.runs(), is(0));
      assertThat(s.spillNote("a writer"), is(nullValue()));
      assertThat(files(), is(empty()));
    }
  }

  @Test
  void aFolderItCannotWriteIsNamedInOneLine() {
    Path missing = dir.resolve("no-such-folder");
    SpillingSort<KV<Integer, String>> s =
        new SpillingSort<>(BY_KEY, CODER, kv -> 10, 15, missing);
    s.add(KV.of(1, "a"));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> s.add(KV.of(2, "b")));
    assertThat(e.getMessage(), containsString("cannot write a sorted run of 2 values to " + missing));
    assertThat(e.getMessage().contains("\n"), is(false));
    assertThrows(IllegalArgumentException.class, () -> sort(0));
  }
}
