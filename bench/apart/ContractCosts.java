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
 * ({@code RawContract.validate}). Run it with two jars to compare two versions of the check; the
 * first two rounds warm the compilers and are marked so.
 *
 *   java -cp pipelines/target/pqrs-lakehouse.jar bench/apart/ContractCosts.java ROUNDS FILE... > out.csv
 *
 * Prints: round,warm_up,events,ns_per_event,invalid.
 */
public class ContractCosts {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ContractCosts ROUNDS RAW_JSONL_FILE...");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[0]);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      for (String line : Files.readAllLines(Path.of(args[i]))) {
        if (!line.isBlank()) {
          events.add(json.readTree(line));
        }
      }
    }
    RawContract contract = RawContract.packaged();
    System.out.println("round,warm_up,events,ns_per_event,invalid");
    for (int r = 1; r <= rounds; r++) {
      long invalid = 0;
      long start = System.nanoTime();
      for (JsonNode e : events) {
        if (!contract.validate(e).isEmpty()) {
          invalid++;
        }
      }
      double ns = (System.nanoTime() - start) / (double) events.size();
      System.out.printf(Locale.ROOT, "%d,%s,%d,%.1f,%d%n", r, r <= 2, events.size(), ns, invalid);
    }
  }
}
