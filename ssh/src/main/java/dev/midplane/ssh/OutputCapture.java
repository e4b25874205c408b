package dev.midplane.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * Where a remote stream lands: the first {@code max} bytes are kept, the rest counted and
 * discarded. Never blocks the session's I/O thread that writes into it, so a chatty program can
 * never stall the session.
 */
final class OutputCapture extends OutputStream {
  private final int max;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream(1024);
  private long total;

  OutputCapture(int max) {
    this.max = max;
  }

  @Override
  public synchronized void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    long room = max - total;
    if (room > 0) {
      kept.write(b, off, (int) Math.min(room, len));
    }
    total += len;
  }

  synchronized byte[] bytes() {
    return kept.toByteArray();
  }

  synchronized boolean truncated() {
    return total > max;
  }

  /** Bytes received so far, kept or not. */
  synchronized long total() {
    return total;
  }

  @Override
  public synchronized String toString() {
    return "capture(" + total + " bytes" + (truncated() ? ", truncated" : "") + ")";
  }
}
