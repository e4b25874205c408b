package dev.midplane.xen.exec;

/**
 * Receives a command's output line by line while it runs. A line ends at {@code \n}, at
 * {@code \r\n} or at a lone {@code \r} (progress meters rewrite their line with {@code \r}); the
 * terminator is not part of the line. Calls are serialised: one line at a time, in the order the
 * lines were read from each stream.
 */
@FunctionalInterface
public interface OutputListener {
  /** Which output a line came from. */
  enum Stream {
    STDOUT, STDERR
  }

  void line(Stream stream, String line);
}
