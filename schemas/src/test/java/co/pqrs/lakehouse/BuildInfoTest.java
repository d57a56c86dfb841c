package co.pqrs.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildInfoTest {
  @TempDir Path tmp;

  private static final Map<String, String> CODE = new TreeMap<>(Map.of(
      "co/pqrs/lakehouse/A.class", "class A",
      "co/pqrs/lakehouse/b/B.class", "class B",
      "pqrs/contracts/v1/raw.json", "{\"contract\": 1}"));

  private Path folder(String name, Map<String, String> entries) throws IOException {
    Path root = tmp.resolve(name);
    for (var e : entries.entrySet()) {
      Path f = root.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
    }
    return root;
  }

  private Path jar(String name, Map<String, String> entries) throws IOException {
    Path jar = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (var e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return jar;
  }

  @Test
  void theSameCodeHasOneFingerprintInFoldersOrInAJarWithOtherLibraries() throws IOException {
    String folders = BuildInfo.codeSha256(List.of(
        folder("schemas", Map.of("pqrs/contracts/v1/raw.json", CODE.get("pqrs/contracts/v1/raw.json"),
            "simplelogger.properties", "x")),
        folder("transforms", Map.of("co/pqrs/lakehouse/A.class", "class A", "co/pqrs/lakehouse/b/B.class", "class B"))));
    Map<String, String> fat = new TreeMap<>(CODE);
    fat.put("org/apache/beam/Pipeline.class", "beam");
    fat.put("META-INF/maven/co.pqrs.lakehouse/pqrs-schemas/pom.properties", "built at some hour");
    assertEquals(folders, BuildInfo.codeSha256(List.of(jar("fat.jar", fat))));
    assertEquals(folders, BuildInfo.codeSha256(List.of(jar("job.jar", CODE))));
  }

  @Test
  void oneChangedClassOrContractChangesIt() throws IOException {
    String before = BuildInfo.codeSha256(List.of(jar("before.jar", CODE)));
    Map<String, String> changedClass = new TreeMap<>(CODE);
    changedClass.put("co/pqrs/lakehouse/b/B.class", "class B, rebuilt from another source");
    Map<String, String> changedContract = new TreeMap<>(CODE);
    changedContract.put("pqrs/contracts/v1/raw.json", "{\"contract\": 2}");
    Map<String, String> moved = new TreeMap<>(CODE);
    moved.put("co/pqrs/lakehouse/c/B.class", moved.remove("co/pqrs/lakehouse/b/B.class"));
    assertNotEquals(before, BuildInfo.codeSha256(List.of(jar("class.jar", changedClass))));
    assertNotEquals(before, BuildInfo.codeSha256(List.of(jar("contract.jar", changedContract))));
    assertNotEquals(before, BuildInfo.codeSha256(List.of(jar("moved.jar", moved))));
  }

  @Test
  void thisJvmsOwnCodeHasAFingerprint() {
    assertEquals(64, BuildInfo.codeSha256(BuildInfo.class).length());
  }
}
