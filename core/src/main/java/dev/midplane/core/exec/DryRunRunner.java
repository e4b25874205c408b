package dev.midplane.core.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Records the commands it is given instead of running them, so a jshell user can see exactly what
 * an operation would do. Commands accepted by the read-only predicate (e.g. {@code ip -j link show})
 * may still run on a delegate so that planning code can look at the live state.
 */
public final class DryRunRunner implements CommandRunner {
  private final CommandRunner delegate;
  private final Predicate<Command> readOnly;
  private final Function<Command, CommandResult> reply;
  private final List<Command> recorded = new ArrayList<>();

  private DryRunRunner(CommandRunner delegate, Predicate<Command> readOnly, Function<Command, CommandResult> reply) {
    this.delegate = delegate;
    this.readOnly = readOnly;
    this.reply = reply;
  }

  static DryRunRunner recordingOnly() {
    return new DryRunRunner(null, c -> false, c -> CommandResult.ok(c, ""));
  }

  static DryRunRunner readingThrough(CommandRunner delegate, Predicate<Command> readOnly) {
    return new DryRunRunner(delegate, readOnly, c -> CommandResult.ok(c, ""));
  }

  /** The same runner answering recorded commands with {@code reply} instead of exit 0. */
  public DryRunRunner answering(Function<Command, CommandResult> reply) {
    return new DryRunRunner(delegate, readOnly, reply);
  }

  @Override
  public CommandResult run(Command command) {
    if (delegate != null && readOnly.test(command)) {
      return delegate.run(command);
    }
    return record(command);
  }

  @Override
  public CommandResult run(Command command, OutputListener listener) {
    if (delegate != null && readOnly.test(command)) {
      return delegate.run(command, listener);
    }
    CommandResult r = record(command);
    OutputListener.replay(r, listener);
    return r;
  }

  private CommandResult record(Command command) {
    synchronized (recorded) {
      recorded.add(command);
    }
    return reply.apply(command);
  }

  /** The commands that would have run, in order. */
  public List<Command> recorded() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  /** The recorded commands, one shell-quoted line each. */
  public String script() {
    StringBuilder b = new StringBuilder();
    for (Command c : recorded()) {
      b.append(c).append('\n');
    }
    return b.toString();
  }

  public void clear() {
    synchronized (recorded) {
      recorded.clear();
    }
  }
}
