package dev.midplane.core.exec;

import java.util.Objects;

/**
 * What a simulated or scripted command answers: an exit code, stdout and stderr. The runner turns it
 * into a {@link CommandResult} for the command that was run.
 */
public record Reply(int exitCode, String stdout, String stderr) {
  public Reply {
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  public static Reply ok() {
    return new Reply(0, "", "");
  }

  public static Reply ok(String stdout) {
    return new Reply(0, stdout, "");
  }

  /** A failure as a real tool reports it: non-zero exit and a message on stderr. */
  public static Reply fail(int exitCode, String stderr) {
    if (exitCode == 0) {
      throw new IllegalArgumentException("a failure needs a non-zero exit code");
    }
    return new Reply(exitCode, "", stderr.endsWith("\n") || stderr.isEmpty() ? stderr : stderr + "\n");
  }

  CommandResult toResult(Command command, java.time.Duration took) {
    return CommandResult.builder()
        .command(command)
        .exitCode(exitCode)
        .stdout(stdout)
        .stderr(stderr)
        .duration(took)
        .build();
  }
}
