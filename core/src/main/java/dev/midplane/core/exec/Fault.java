package dev.midplane.core.exec;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A named failure that a {@link RecordingRunner} can inject in place of (or on top of) a command's
 * real outcome. Each mirrors something that happens on real hosts.
 */
public abstract class Fault {
  private final String name;

  private Fault(String name) {
    this.name = name;
  }

  /** The command runs and exits with {@code code}, printing {@code stderr}. */
  public static Fault exit(int code, String stderr) {
    Reply reply = Reply.fail(code, stderr);
    return new Fault("exit " + code) {
      @Override
      CommandResult apply(Command command, String host, Supplier<CommandResult> real) {
        return reply.toResult(command, Duration.ofMillis(1));
      }
    };
  }

  /** The command hangs past its timeout and is killed. */
  public static Fault timeout() {
    return new Fault("timeout") {
      @Override
      CommandResult apply(Command command, String host, Supplier<CommandResult> real) {
        throw new CommandTimeoutException(host, command.argv(), command.timeout().orElse(Duration.ofSeconds(30)), "", "");
      }
    };
  }

  /**
   * The command's output is cut after {@code keepChars} characters with exit 0, as when a tool is
   * killed mid-write or a pipe breaks: parsers must refuse the partial text, not return half a result.
   */
  public static Fault truncatedOutput(int keepChars) {
    return new Fault("truncated output at " + keepChars) {
      @Override
      CommandResult apply(Command command, String host, Supplier<CommandResult> real) {
        CommandResult r = real.get();
        String out = r.stdout();
        return CommandResult.builder().from(r).exitCode(0)
            .stdout(out.substring(0, Math.min(keepChars, out.length()))).build();
      }
    };
  }

  /** The program cannot be executed (EACCES). */
  public static Fault permissionDenied() {
    return new Fault("permission denied") {
      @Override
      CommandResult apply(Command command, String host, Supplier<CommandResult> real) {
        throw CommandFailedException.couldNotStart(host, command.argv(), "Permission denied", null);
      }
    };
  }

  /** The program does not exist on the host (ENOENT). */
  public static Fault notInstalled() {
    return new Fault("not installed") {
      @Override
      CommandResult apply(Command command, String host, Supplier<CommandResult> real) {
        throw CommandFailedException.couldNotStart(host, command.argv(), "No such file or directory", null);
      }
    };
  }

  /**
   * Something changes on the host just before the command runs (a path drops, a link goes down),
   * then the command runs for real.
   */
  public static Fault sideEffectBefore(String name, Runnable effect) {
    return new Fault(name) {
      @Override
      CommandResult apply(Command command, String host, Supplier<CommandResult> real) {
        effect.run();
        return real.get();
      }
    };
  }

  /** The command runs for real, then something changes on the host before the caller sees the result. */
  public static Fault sideEffectAfter(String name, Runnable effect) {
    return new Fault(name) {
      @Override
      CommandResult apply(Command command, String host, Supplier<CommandResult> real) {
        CommandResult r = real.get();
        effect.run();
        return r;
      }
    };
  }

  abstract CommandResult apply(Command command, String host, Supplier<CommandResult> real);

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
