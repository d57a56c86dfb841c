package co.pqrs.lakehouse;

import co.pqrs.lakehouse.manifest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The code version stamped into manifests and run records, and a fingerprint of the code itself. */
public final class BuildInfo {
  private BuildInfo() {}

  /** The Maven project version. */
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

  /** Where the project's own classes and resources live in a jar or a class folder. */
  private static final String[] OWN = {"co/pqrs/", "pqrs/"};

  /**
   * A SHA-256 of the project's own classes and resources ({@code co/pqrs/}, {@code pqrs/}) in the
   * jars or class folders the given classes were loaded from: the same for the same code however it
   * is packaged (module jars, the fat jar, the job jar, class folders) and rebuilt (javac writes the
   * same bytes for the same source), different after any change to a class or a packaged contract.
   * It tells a command whether a cluster that loads the application from its own classpath runs this
   * command's code.
   */
  public static String codeSha256(Class<?>... anchors) {
    return codeSha256(sources(anchors));
  }

  /** The jars or class folders the given classes were loaded from. */
  public static Set<Path> sources(Class<?>... anchors) {
    Set<Path> sources = new LinkedHashSet<>();
    for (Class<?> c : anchors) {
      try {
        sources.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (URISyntaxException | NullPointerException | SecurityException e) {
        throw new IllegalStateException("cannot tell where " + c.getName() + " was loaded from", e);
      }
    }
    return sources;
  }

  /** {@link #codeSha256(Class[])} of jars and class folders. */
  static String codeSha256(Iterable<Path> sources) {
    MessageDigest all = Sha256.digest();
    codeEntries(sources).forEach((name, sha) -> all.update((name + '\0' + sha + '\n').getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(all.digest());
  }

  /**
   * The project's own entries in jars and class folders, by name, with the SHA-256 of each: the first
   * of two entries with one name counts, as for a class loader.
   */
  public static Map<String, String> codeEntries(Iterable<Path> sources) {
    Map<String, String> entries = new TreeMap<>();
    try {
      for (Path source : sources) {
        if (Files.isDirectory(source)) {
          folderEntries(source, entries);
        } else {
          jarEntries(source, entries);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the code of " + sources, e);
    }
    return entries;
  }

  private static boolean own(String name) {
    for (String prefix : OWN) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static void folderEntries(Path folder, Map<String, String> into) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String name = folder.relativize(f).toString().replace('\\', '/');
        if (own(name)) {
          into.putIfAbsent(name, Sha256.hex(Files.readAllBytes(f)));
        }
      }
    }
  }

  private static void jarEntries(Path jar, Map<String, String> into) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (!entry.isDirectory() && own(entry.getName())) {
          try (InputStream in = zip.getInputStream(entry)) {
            into.putIfAbsent(entry.getName(), Sha256.hex(in.readAllBytes()));
          }
        }
      }
    }
  }
}
