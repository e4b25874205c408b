package dev.midplane.multipath.backend;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import java.time.Duration;
import java.util.OptionalInt;

/** Running one tool command on a host, with a timeout and failures that carry their evidence. */
final class Cli {
  private final Host host;
  private final Duration timeout;

  Cli(Host host, Duration timeout) {
    this.host = java.util.Objects.requireNonNull(host, "host");
    this.timeout = java.util.Objects.requireNonNull(timeout, "timeout");
  }

  Command command(String... argv) {
    return Command.builder(argv).timeout(timeout).build();
  }

  /** Runs and returns the result whatever the exit code. */
  CommandResult run(String... argv) {
    return host.run(command(argv));
  }

  /** Runs; a non-zero exit throws with argv, exit code and stderr. */
  CommandResult execute(String... argv) {
    return host.execute(command(argv));
  }

  /**
   * Runs a multipathd client command: it fails on a non-zero exit and on the {@code fail} reply,
   * which multipathd prints on stdout (with exit 0 before 0.8).
   */
  CommandResult daemon(String... argv) {
    CommandResult r = run(argv);
    String reply = r.stdout().strip();
    if (r.exitCode() != 0 || reply.equals("fail") || reply.startsWith("fail\n")) {
      String evidence = (r.stderr() + (reply.isEmpty() ? "" : "\nmultipathd replied: " + reply)).strip();
      throw new CommandFailedException(host.name().value(), r.command().argv(), OptionalInt.of(r.exitCode()), evidence,
          r.exitCode() != 0 ? "exited with " + r.exitCode() : "was refused by multipathd", null);
    }
    return r;
  }

  String hostName() {
    return host.name().value();
  }
}
