package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.layout.DataLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JobJarEntryTest {
  @Test
  void theJarListsTheChainsLayersEachWithARunnableEntryClass() throws Exception {
    assertEquals(DataLayout.CHAIN, JobJarEntry.LAYERS.stream().map(JobJarEntry.Layer::name).toList());
    for (JobJarEntry.Layer l : JobJarEntry.LAYERS) {
      Method main = l.entry().getMethod("main", String[].class);
      assertTrue(Modifier.isStatic(main.getModifiers()), l.entry() + ".main is static");
    }
    assertEquals(BronzePipeline.class, JobJarEntry.LAYERS.get(1).entry());
  }

  @Test
  void withoutAnEntryClassTheJarSaysWhichOnesToSet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobJarEntry.main(new String[0]));
    for (JobJarEntry.Layer l : JobJarEntry.LAYERS) {
      assertTrue(e.getMessage().contains(l.entry().getName()), e.getMessage());
    }
  }

  /** The README's table for the web UI is written for readers; it must say what the jar says. */
  @Test
  void theReadmesTableOfEntryClassesIsTheJarsList() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    String section = readme.substring(readme.indexOf("### Submit from the Flink web UI"));
    section = section.substring(0, section.indexOf("\n#", 1));
    for (JobJarEntry.Layer l : JobJarEntry.LAYERS) {
      String row = "| " + Character.toUpperCase(l.name().charAt(0)) + l.name().substring(1)
          + " | `" + l.entry().getName() + "` |";
      assertTrue(section.contains(row), "README, \"Submit from the Flink web UI\", lacks the row " + row);
    }
    assertEquals(JobJarEntry.LAYERS.size(), section.lines().filter(x -> x.contains("| `co.pqrs.")).count(),
        "the README's table has a row for each layer the jar lists, and no other");
  }

  @Test
  void aBadListNamesItsLine() {
    IllegalStateException fields = assertThrows(IllegalStateException.class,
        () -> JobJarEntry.read("job-layers/one-field.tsv"));
    assertTrue(fields.getMessage().startsWith("job-layers/one-field.tsv line 2: expected a layer and its entry class"),
        fields.getMessage());
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> JobJarEntry.read("job-layers/no-class.tsv"));
    assertEquals("job-layers/no-class.tsv line 2: no class co.pqrs.lakehouse.pipelines.NoSuchPipeline in the jar",
        missing.getMessage());
    assertEquals("job-layers/none.tsv is missing from the jar",
        assertThrows(IllegalStateException.class, () -> JobJarEntry.read("job-layers/none.tsv")).getMessage());
  }
}
