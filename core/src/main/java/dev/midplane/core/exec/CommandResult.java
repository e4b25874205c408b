package dev.midplane.core.exec;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.MidplaneStyle;
import java.time.Duration;
import java.util.List;
import org.immutables.value.Value;

/**
 * What a command did: its exit code, its output (decoded as UTF-8, bounded by the runner's limit),
 * and how long it took. A non-zero exit is a result, not an exception; call
 * {@link #requireSuccess(String)} or use {@link dev.midplane.core.Host#execute} when it should
 * throw.
 */
@Value.Immutable
@MidplaneStyle
public abstract class CommandResult {
  public abstract Command command();

  public abstract int exitCode();

  @Value.Default
  public String stdout() {
    return "";
  }

  @Value.Default
  public String stderr() {
    return "";
  }

  @Value.Default
  public Duration duration() {
    return Duration.ZERO;
  }

  /** True when stdout exceeded the runner's size bound and the rest was discarded. */
  @Value.Default
  public boolean stdoutTruncated() {
    return false;
  }

  @Value.Default
  public boolean stderrTruncated() {
    return false;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A result for {@code command} with exit code 0 and the given stdout (test doubles, simulations). */
  public static CommandResult ok(Command command, String stdout) {
    return builder().command(command).exitCode(0).stdout(stdout).build();
  }

  public boolean isSuccess() {
    return exitCode() == 0;
  }

  /** stdout split into lines, without line terminators. */
  public List<String> stdoutLines() {
    return stdout().lines().toList();
  }

  /**
   * Returns this result when the exit code is 0, otherwise throws a
   * {@link CommandFailedException} with the argv, exit code and stderr tail.
   *
   * @param host the host name for the evidence, or {@code null} if unknown
   */
  public CommandResult requireSuccess(String host) {
    if (!isSuccess()) {
      throw CommandFailedException.exited(host, command().argv(), exitCode(), stderr());
    }
    return this;
  }

  /** The Immutables builder, visible under this name. */
  public static final class Builder extends ImmutableCommandResult.Builder {}
}
