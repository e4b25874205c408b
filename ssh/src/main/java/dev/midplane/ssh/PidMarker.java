package dev.midplane.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sits on a remote command's stderr and takes out the line in which the command's wrapper
 * announces its process id ({@code midplane-pid:<nonce>:<pid>}), passing everything else through
 * unchanged. The nonce is fresh for every command, so no output of the program (or of the remote
 * user's shell start-up files, which run before it) can be mistaken for the announcement.
 */
final class PidMarker extends OutputStream {
  static final String PREFIX = "midplane-pid:";
  private static final int MAX_LINE = 256;

  private final OutputStream next;
  private final Pattern marker;
  private final CompletableFuture<Long> pid = new CompletableFuture<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  /** True while inside a line too long to be the marker: it is passed through as it comes. */
  private boolean passingLongLine;

  PidMarker(String nonce, OutputStream next) {
    this.next = next;
    this.marker = Pattern.compile(Pattern.quote(PREFIX + nonce + ":") + "(\\d{1,10})");
  }

  /** The shell snippet that prints the marker for {@code nonce} to stderr. */
  static String announce(String nonce) {
    return "printf '" + PREFIX + nonce + ":%s\\n' \"$$\" >&2; ";
  }

  /** Completes with the remote pid once the marker line has been seen. */
  CompletableFuture<Long> pid() {
    return pid;
  }

  @Override
  public synchronized void write(int b) throws java.io.IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
    if (pid.isDone()) {
      next.write(b, off, len);
      return;
    }
    int end = off + len;
    for (int i = off; i < end; i++) {
      byte c = b[i];
      if (pid.isDone()) {
        next.write(b, i, end - i);
        return;
      }
      if (passingLongLine) {
        next.write(c);
        passingLongLine = c != '\n';
        continue;
      }
      line.write(c);
      if (c == '\n') {
        lineDone();
      } else if (line.size() > MAX_LINE) {
        next.write(line.toByteArray());
        line.reset();
        passingLongLine = true;
      }
    }
  }

  private void lineDone() throws java.io.IOException {
    byte[] bytes = line.toByteArray();
    line.reset();
    String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
    Matcher m = marker.matcher(text);
    if (m.matches()) {
      pid.complete(Long.parseLong(m.group(1)));
    } else {
      next.write(bytes);
    }
  }

  /** Passes on a partial line still held back (at the end of the stream). */
  synchronized void finish() throws java.io.IOException {
    if (line.size() > 0) {
      next.write(line.toByteArray());
      line.reset();
    }
  }
}
