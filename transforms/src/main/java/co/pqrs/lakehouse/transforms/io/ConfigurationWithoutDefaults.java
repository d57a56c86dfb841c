package co.pqrs.lakehouse.transforms.io;

import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop configuration that loads no default resources (see {@link ParquetConfig}), nor does its
 * copy: ParquetIO ships its read configuration by class name, and each worker's copy of a read
 * transform would otherwise parse the defaults again as it is deserialized. A top-level class
 * because Beam names it by its canonical name, which a nested class's loader does not resolve.
 */
public class ConfigurationWithoutDefaults extends Configuration {
  public ConfigurationWithoutDefaults() {
    super(false);
  }
}
