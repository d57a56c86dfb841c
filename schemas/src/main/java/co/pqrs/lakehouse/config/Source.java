package co.pqrs.lakehouse.config;

import co.pqrs.lakehouse.manifest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The bytes of one contract, config or reference file, from a folder the user named or from the copy
 * packaged in the jar (built from {@code data/contracts}, {@code docs/07-config}, {@code data/reference}).
 */
public record Source(String name, byte[] bytes) implements Serializable {

  /** Where packaged copies live on the classpath. */
  public enum Kind {
    CONTRACTS("pqrs/contracts/v1/"),
    CONFIG("pqrs/config/"),
    REFERENCE("pqrs/reference/");

    final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }
  }

  public static Source file(Path path) {
    try {
      return new Source(path.getFileName().toString(), Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw new ConfigException(path.toString(), null, "file not found");
    } catch (IOException e) {
      throw new ConfigException(path.toString(), null, "cannot read: " + e.getMessage());
    }
  }

  public static Source packaged(Kind kind, String name) {
    String res = kind.prefix + name;
    try (InputStream in = Source.class.getClassLoader().getResourceAsStream(res)) {
      if (in == null) {
        throw new ConfigException(res, null, "not on the classpath (was the jar built with `mvn package`?)");
      }
      return new Source(name, in.readAllBytes());
    } catch (IOException e) {
      throw new ConfigException(res, null, "cannot read: " + e.getMessage());
    }
  }

  /** From {@code dir} when given, else the packaged copy. */
  public static Source of(Path dir, Kind kind, String name) {
    return dir == null ? packaged(kind, name) : file(dir.resolve(name));
  }

  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public String sha256() {
    return Sha256.hex(bytes);
  }
}
