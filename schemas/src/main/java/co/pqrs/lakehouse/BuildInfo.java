package co.pqrs.lakehouse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The code version stamped into manifests and run records (the Maven project version). */
public final class BuildInfo {
  private BuildInfo() {}

  public static String codeVersion() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream("pqrs/build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // falls through to "unknown"
    }
    return p.getProperty("version", "unknown");
  }
}
