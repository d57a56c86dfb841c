package co.pqrs.lakehouse.transforms.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.util.HexFormat;
import co.pqrs.lakehouse.manifest.Sha256;

/** A channel that counts and hashes what passes through it, so a file's SHA-256 costs no re-read. */
public final class DigestChannel implements WritableByteChannel {
  private final WritableByteChannel inner;
  private final MessageDigest digest = Sha256.digest();
  private long bytes;

  private boolean closed;

  public DigestChannel(WritableByteChannel inner) {
    this.inner = inner;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ByteBuffer view = src.duplicate();
    int n = inner.write(src);
    view.limit(view.position() + n);
    digest.update(view);
    bytes += n;
    return n;
  }

  @Override
  public boolean isOpen() {
    return inner.isOpen();
  }

  /**
   * Closes once: a Parquet sink closes its channel when it is flushed, and closing an S3 channel a
   * second time would complete its multipart upload twice (the server answers NoSuchKey).
   */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      inner.close();
    }
  }

  public long bytes() {
    return bytes;
  }

  public String sha256() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
