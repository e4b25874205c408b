package dev.midplane.core.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts text into lines for an {@link OutputListener}: a line ends at {@code \n}, {@code \r\n} or a
 * lone {@code \r}; {@link #finish()} delivers a last line that had no terminator. Listener
 * exceptions are logged and swallowed. Not thread-safe; callers serialise.
 */
final class LineSplitter {
  private static final Logger LOG = LoggerFactory.getLogger(LineSplitter.class);
  /** A line longer than this is delivered in pieces, so a stream without line breaks cannot exhaust memory. */
  static final int MAX_LINE = 64 * 1024;

  private final OutputListener.Stream stream;
  private final OutputListener listener;
  private final StringBuilder line = new StringBuilder();
  private boolean afterCr;

  LineSplitter(OutputListener.Stream stream, OutputListener listener) {
    this.stream = stream;
    this.listener = listener;
  }

  void accept(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        if (afterCr) {
          afterCr = false;
          continue;
        }
        emit();
      } else if (c == '\r') {
        emit();
        afterCr = true;
      } else {
        afterCr = false;
        line.append(c);
        if (line.length() >= MAX_LINE) {
          emit();
        }
      }
    }
  }

  void finish() {
    if (line.length() > 0) {
      emit();
    }
  }

  private void emit() {
    String s = line.toString();
    line.setLength(0);
    try {
      listener.line(stream, s);
    } catch (RuntimeException e) {
      LOG.warn("an output listener failed on '{}'; the command goes on", s, e);
    }
  }
}
