package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.beam.sdk.io.hadoop.SerializableConfiguration;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The configuration given to Parquet loads none of Hadoop's default resources, also once shipped. */
class ParquetConfigTest {
  // Set in Hadoop's core-default.xml, read by nothing here.
  private static final String DEFAULT_KEY = "hadoop.common.configuration.version";

  @Test
  void aShippedReadConfigurationStillLoadsNoDefaults() {
    assertNotNull(new Configuration().get(DEFAULT_KEY), "the key is one of Hadoop's defaults");
    ConfigurationWithoutDefaults given = new ConfigurationWithoutDefaults();
    given.set("parquet.avro.projection", "{}");
    SerializableConfiguration shipped = SerializableUtils.clone(new SerializableConfiguration(given));
    Configuration copy = shipped.get();
    assertEquals(ConfigurationWithoutDefaults.class, copy.getClass());
    assertNull(copy.get(DEFAULT_KEY));
    assertEquals("{}", copy.get("parquet.avro.projection"));
    assertNull(ParquetConfig.shared().get(DEFAULT_KEY));
  }
}
