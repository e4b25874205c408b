package dev.midplane.core.exec;

/**
 * Receives a command's output line by line while it runs (migration progress, long scans). A line
 * ends at {@code \n}, at {@code \r\n} or at a lone {@code \r} (progress meters rewrite their line
 * with {@code \r}); the terminator is not part of the line, and a line longer than 64 KiB arrives in
 * pieces. Calls are serialised: one line at a time, in the order each stream's lines were read. A
 * listener that throws is logged and ignored; the command goes on.
 */
@FunctionalInterface
public interface OutputListener {
  /** Which output a line came from. */
  enum Stream {
    STDOUT, STDERR
  }

  void line(Stream stream, String line);

  /** Replays a finished result's output: stdout's lines, then stderr's. */
  static void replay(CommandResult result, OutputListener listener) {
    LineSplitter out = new LineSplitter(Stream.STDOUT, listener);
    out.accept(result.stdout());
    out.finish();
    LineSplitter err = new LineSplitter(Stream.STDERR, listener);
    err.accept(result.stderr());
    err.finish();
  }
}
