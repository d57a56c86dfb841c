import co.pqrs.lakehouse.contracts.RawContract;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Raw contract's check of one event, timed apart in one JVM: every line of some Raw files is
 * parsed once, then each round validates all the trees as Bronze's parser does
 * ({@code RawContract.validate}). With {@code --parse} each round parses every line again and checks
 * its tree at once, as the parser does: a tree just built is in the processor's caches, where
 * trees parsed ahead are not, so the check alone is timed on trees that are colder than Bronze's.
 * Run it with two jars to compare two versions of the check; the first two rounds warm the
 * compilers and are marked so.
 *
 *   java -cp pipelines/target/pqrs-lakehouse.jar bench/apart/ContractCosts.java [--parse] ROUNDS FILE... > out.csv
 *
 * Prints: round,warm_up,events,ns_per_event,invalid.
 */
public class ContractCosts {
  public static void main(String[] args) throws Exception {
    boolean parse = args.length > 0 && args[0].equals("--parse");
    int first = parse ? 1 : 0;
    if (args.length < first + 2) {
      System.err.println("usage: ContractCosts [--parse] ROUNDS RAW_JSONL_FILE...");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[first]);
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    List<JsonNode> events = new ArrayList<>();
    for (int i = first + 1; i < args.length; i++) {
      for (String line : Files.readAllLines(Path.of(args[i]))) {
        if (!line.isBlank()) {
          lines.add(line);
          if (!parse) {
            events.add(json.readTree(line));
          }
        }
      }
    }
    RawContract contract = RawContract.packaged();
    System.out.println("round,warm_up,events,ns_per_event,invalid");
    for (int r = 1; r <= rounds; r++) {
      long invalid = 0;
      long start = System.nanoTime();
      for (int i = 0; i < lines.size(); i++) {
        JsonNode e = parse ? json.readTree(lines.get(i)) : events.get(i);
        if (!contract.validate(e).isEmpty()) {
          invalid++;
        }
      }
      double ns = (System.nanoTime() - start) / (double) lines.size();
      System.out.printf(Locale.ROOT, "%d,%s,%d,%.1f,%d%n", r, r <= 2, lines.size(), ns, invalid);
    }
  }
}
