package co.pqrs.lakehouse.transforms.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Comparator;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A rendered Raw line on its way to its day's file, with the keys that order it there and the facts
 * the manifest counts (event type as written, injected defect or "").
 */
public record EventLine(long epochSecond, String eventId, String line, String eventType, String defect) {

  /** File order: (ts, event_id), then the line itself so that duplicates sort deterministically. */
  public static final Comparator<EventLine> FILE_ORDER =
      Comparator.comparingLong(EventLine::epochSecond)
          .thenComparing(EventLine::eventId)
          .thenComparing(EventLine::line);

  /**
   * An estimate of the heap this line takes while a writer holds it: the record and its four strings
   * (object and array headers, Latin-1 characters a byte each) and the list slot holding it.
   */
  public long heapBytes() {
    return 200L + line.length() + eventId.length() + eventType.length() + defect.length();
  }

  /** Compact coder: Beam moves millions of these through the shuffle. */
  public static final class Coder extends AtomicCoder<EventLine> {
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder S = StringUtf8Coder.of();
    private static final VarLongCoder L = VarLongCoder.of();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(EventLine v, OutputStream out) throws IOException {
      L.encode(v.epochSecond(), out);
      S.encode(v.eventId(), out);
      S.encode(v.line(), out);
      S.encode(v.eventType(), out);
      S.encode(v.defect(), out);
    }

    @Override
    public EventLine decode(InputStream in) throws IOException {
      return new EventLine(L.decode(in), S.decode(in), S.decode(in), S.decode(in), S.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
