package co.pqrs.lakehouse.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataLayoutTest {
  @Test
  void aLocalRootIsMadeAbsoluteAndIsLocal() {
    DataLayout l = DataLayout.at(" lake/./x/ ");
    assertEquals(Path.of("lake/x").toAbsolutePath().toString(), l.root());
    assertTrue(l.isLocal());
    assertFalse(DataLayout.isUri(l.root()));
  }

  @Test
  void anObjectStoreRootIsKeptAsGivenWithoutItsTrailingSlashes() {
    DataLayout l = DataLayout.at("s3://bucket/prefix//");
    assertEquals("s3://bucket/prefix", l.root());
    assertFalse(l.isLocal());
    assertTrue(DataLayout.isUri("s3://bucket"));
    // A bucket's root keeps the scheme's slashes.
    assertEquals("s3://", DataLayout.at("s3://").root());
  }

  @Test
  void anEmptyRootIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataLayout.at("  "));
    assertEquals("lakehouse root is empty", e.getMessage());
  }
}
