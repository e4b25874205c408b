package dev.midplane.ssh;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@link CommandRunner} of a host reached over SSH. Keeps the runner contract: argv arrives
 * literally (quoted once for the remote shell), stdin is written and closed, a non-zero exit is a
 * result, a missing program throws "could not be started", timeouts and interrupts kill the remote
 * process tree, output is bounded. A command without a timeout gets a day: the host's runner
 * normally adds the target's default timeout before it gets here.
 */
final class SshCommandRunner implements CommandRunner {
  private static final Duration NO_TIMEOUT = Duration.ofDays(1);
  private final RemoteExec exec;

  SshCommandRunner(RemoteExec exec) {
    this.exec = exec;
  }

  @Override
  public CommandResult run(Command command) {
    byte[] stdin = command.stdin().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
    RemoteExec.Raw r = exec.run(command.argv(), command.environment(), stdin, command.timeout().orElse(NO_TIMEOUT));
    return CommandResult.builder()
        .command(command)
        .exitCode(r.exitCode())
        .stdout(r.stdoutText())
        .stderr(r.stderrText())
        .stdoutTruncated(r.stdoutTruncated())
        .stderrTruncated(r.stderrTruncated())
        .duration(r.duration())
        .build();
  }

  @Override
  public String toString() {
    return "ssh runner for " + exec.hostName();
  }
}
