package dev.midplane.core.exec;

/**
 * Runs one {@link Command} and reports what happened. The SPI behind every host: local processes,
 * a simulated machine, later SSH.
 *
 * <p>Contract (checked by the shared contract suite for every implementation):
 * <ul>
 *   <li>argv reaches the program literally: no shell, no word splitting, no expansion;
 *   <li>stdin, when present, is written in full and then closed; otherwise the program sees EOF;
 *   <li>a non-zero exit is returned as a result, never thrown;
 *   <li>a program that cannot be started throws {@link dev.midplane.core.CommandFailedException}
 *       with no exit code;
 *   <li>a command that outlives its timeout is killed with everything it started, and
 *       {@link dev.midplane.core.CommandTimeoutException} is thrown;
 *   <li>stdout and stderr are drained concurrently and bounded; output beyond the bound is
 *       discarded and flagged, never blocks the program;
 *   <li>an interrupt of the calling thread kills the command, restores the interrupt flag and
 *       throws {@link dev.midplane.core.CommandFailedException}.
 * </ul>
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface CommandRunner {
  CommandResult run(Command command);

  /**
   * Runs {@code command} and hands its output to {@code listener} line by line. Runners that can
   * stream (local processes, SSH) deliver lines while the command runs; the default replays the
   * output once the command has finished. The result is the same as {@link #run(Command)}'s.
   */
  default CommandResult run(Command command, OutputListener listener) {
    CommandResult r = run(command);
    OutputListener.replay(r, listener);
    return r;
  }
}
