import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What Bronze's parser costs a Raw line, two builds side by side in one JVM: each jar's
 * `ParseRaw.ParseFn` (decoding, JSON, the contract's check, the event made and encoded) is loaded by
 * a class loader of its own and given the same lines, in alternating rounds, the first two not
 * printed. Before timing, both must give the same records: the SHA-256 of every output encoded by
 * its jar's coder, in order, is compared, and the run stops if they differ.
 *
 *   java bench/apart/ParseCosts.java OLD.jar NEW.jar ROUNDS RAW_JSONL_FILE...
 *
 * Prints CSV without header, one row per counted round and jar: round,jar,lines,ns_per_line.
 */
public class ParseCosts {
  public static void main(String[] args) throws Throwable {
    if (args.length < 4) {
      System.err.println("usage: ParseCosts.java OLD.jar NEW.jar ROUNDS RAW_JSONL_FILE...");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[2]);
    List<byte[]> lines = new ArrayList<>();
    List<String> files = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      byte[] all = Files.readAllBytes(Path.of(args[i]));
      int from = 0;
      for (int at = 0; at <= all.length; at++) {
        if (at == all.length || all[at] == '\n') {
          if (at > from) {
            lines.add(java.util.Arrays.copyOfRange(all, from, at));
            files.add(args[i]);
          }
          from = at + 1;
        }
      }
    }
    Parser[] jars = {new Parser(args[0], files, lines), new Parser(args[1], files, lines)};
    String[] digests = {jars[0].digest(), jars[1].digest()};
    if (!digests[0].equals(digests[1])) {
      throw new IllegalStateException("the two parsers give different records: " + digests[0] + " against " + digests[1]);
    }
    System.err.println("ParseCosts: " + lines.size() + " lines, the same records from both jars (" + digests[0] + ")");
    for (int round = 0; round < rounds + 2; round++) {
      for (int k = 0; k < 2; k++) {
        Parser p = jars[(round + k) % 2]; // alternate which jar goes first
        long t0 = System.nanoTime();
        p.parseAll();
        long t1 = System.nanoTime();
        if (round >= 2) {
          System.out.printf(Locale.ROOT, "%d,%s,%d,%.1f%n", round - 1, p.jar, lines.size(), (t1 - t0) / (double) lines.size());
        }
      }
    }
  }

  /** One jar's parser, set up as a worker sets it up, and the lines as that jar's RawLines. */
  static final class Parser {
    final String jar;
    final Object fn;
    final Method process;
    final Object[] rawLines;
    final Object coder;
    final Method encode;
    final List<Object> kept = new ArrayList<>();
    boolean keep;
    final Object receiver;

    Parser(String jar, List<String> files, List<byte[]> lines) throws Throwable {
      this.jar = Path.of(jar).getFileName().toString();
      ClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, null);
      Class<?> fnClass = Class.forName("co.pqrs.lakehouse.transforms.bronze.ParseRaw$ParseFn", true, loader);
      Constructor<?> make = fnClass.getDeclaredConstructor();
      make.setAccessible(true);
      fn = make.newInstance();
      Method setup = fnClass.getDeclaredMethod("setup");
      setup.setAccessible(true);
      setup.invoke(fn);
      Class<?> rawLine = Class.forName("co.pqrs.lakehouse.transforms.bronze.RawLine", true, loader);
      Class<?> receiverType = Class.forName("org.apache.beam.sdk.transforms.DoFn$OutputReceiver", true, loader);
      process = fnClass.getDeclaredMethod("process", rawLine, receiverType);
      process.setAccessible(true);
      Constructor<?> line = rawLine.getConstructor(String.class, long.class, byte[].class);
      rawLines = new Object[lines.size()];
      for (int i = 0; i < rawLines.length; i++) {
        rawLines[i] = line.newInstance(files.get(i), (long) i + 1, lines.get(i));
      }
      receiver = Proxy.newProxyInstance(loader, new Class<?>[] {receiverType}, (proxy, method, a) -> {
        if (keep && method.getName().startsWith("output")) {
          kept.add(a[0]);
        }
        return null;
      });
      Class<?> parsed = Class.forName("co.pqrs.lakehouse.transforms.bronze.ParseRaw$Parsed$Coder", true, loader);
      coder = parsed.getMethod("of").invoke(null);
      Class<?> coderType = Class.forName("org.apache.beam.sdk.coders.Coder", true, loader);
      encode = Class.forName("org.apache.beam.sdk.util.CoderUtils", true, loader)
          .getMethod("encodeToByteArray", coderType, Object.class);
    }

    void parseAll() throws Throwable {
      for (Object l : rawLines) {
        process.invoke(fn, l, receiver);
      }
    }

    /** The SHA-256 of every record the lines give, encoded by this jar's coder, in order. */
    String digest() throws Throwable {
      keep = true;
      parseAll();
      keep = false;
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Object p : kept) {
        byte[] b = (byte[]) encode.invoke(null, coder, p);
        sha.update(b);
      }
      sha.update(String.valueOf(kept.size()).getBytes(StandardCharsets.UTF_8));
      kept.clear();
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }
  }
}
