package dev.midplane.xen.exec;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import java.util.Objects;

/**
 * Runs a command and hands its output to an {@link OutputListener} line by line as it is
 * produced, for operations that report progress while they run ({@code xl migrate}). The result
 * is the same {@link CommandResult} a {@link CommandRunner} returns, and the same contract holds
 * (argv without a shell, exit codes as results, timeouts and interrupts kill the command).
 *
 * <p>Core's {@link CommandRunner} returns output only at the end. {@link #local(String)} streams
 * from local processes; {@link #afterCompletion(CommandRunner)} adapts any runner (simulated,
 * recording, remote) by replaying the lines once the command has finished — the listener hears
 * everything, only later. This interface is a candidate for core, where the runner decorators
 * (logging, audit, dry run) could pass streaming through.
 */
public interface StreamingRunner {
  /**
   * Runs {@code command}, calling {@code listener} for each line of stdout and stderr.
   * An exception thrown by the listener is logged and does not stop the command.
   */
  CommandResult run(Command command, OutputListener listener);

  /**
   * Streams from local processes.
   *
   * @param hostName the name put into exceptions as evidence (may be {@code null})
   */
  static LocalStreamingRunner local(String hostName) {
    return new LocalStreamingRunner(hostName, LocalStreamingRunner.DEFAULT_MAX_OUTPUT_BYTES, java.time.Duration.ofSeconds(1));
  }

  /**
   * Runs commands on {@code runner} and replays their output to the listener when they have
   * finished: stdout's lines, then stderr's. For runners that cannot stream.
   */
  static StreamingRunner afterCompletion(CommandRunner runner) {
    Objects.requireNonNull(runner, "runner");
    return (command, listener) -> {
      CommandResult r = runner.run(command);
      LineSplitter out = new LineSplitter(OutputListener.Stream.STDOUT, listener);
      out.accept(r.stdout());
      out.finish();
      LineSplitter err = new LineSplitter(OutputListener.Stream.STDERR, listener);
      err.accept(r.stderr());
      err.finish();
      return r;
    };
  }
}
