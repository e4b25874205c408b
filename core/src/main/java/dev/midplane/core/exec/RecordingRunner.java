package dev.midplane.core.exec;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A test double in the spirit of OkHttp's MockWebServer: it records every command, answers from
 * scripted replies, injects named {@link Fault}s, and otherwise passes commands on to a delegate
 * (for instance a {@link SimulatedRunner}), so faults can be placed at any step of a real
 * operation.
 *
 * <pre>{@code
 * RecordingRunner r = RecordingRunner.wrapping(simulated);
 * r.on("multipathd", "resize").fault(Fault.timeout()).once();
 * ... operation under test ...
 * assertThat(r.takeCommand().argv()).startsWith("multipath");
 * }</pre>
 */
public final class RecordingRunner implements CommandRunner {
  private final CommandRunner delegate;
  private final String hostName;
  private final List<Rule> rules = new ArrayList<>();
  private final Deque<Object> queue = new ArrayDeque<>();
  private final List<Command> all = new ArrayList<>();
  private final Deque<Command> untaken = new ArrayDeque<>();

  private RecordingRunner(CommandRunner delegate, String hostName) {
    this.delegate = delegate;
    this.hostName = hostName;
  }

  /** Answers only from scripted replies; an unscripted command fails the test loudly. */
  public static RecordingRunner scripted() {
    return new RecordingRunner(null, "scripted");
  }

  /** Passes unscripted commands on to {@code delegate}. */
  public static RecordingRunner wrapping(CommandRunner delegate) {
    return new RecordingRunner(delegate, null);
  }

  /** The next command that matches no rule gets this reply. */
  public synchronized RecordingRunner enqueue(Reply reply) {
    queue.addLast(reply);
    return this;
  }

  /** The next command that matches no rule gets this fault. */
  public synchronized RecordingRunner enqueue(Fault fault) {
    queue.addLast(fault);
    return this;
  }

  /**
   * A rule for commands whose argv starts with {@code prefix}; argv[0] is compared by base name, so
   * {@code on("ip", "link")} matches {@code /usr/sbin/ip link show}.
   */
  public synchronized Rule on(String... prefix) {
    List<String> p = Arrays.asList(prefix);
    return on(c -> startsWith(c, p), String.join(" ", prefix));
  }

  public synchronized Rule on(Predicate<Command> predicate, String description) {
    Rule r = new Rule(predicate, description);
    rules.add(r);
    return r;
  }

  private static boolean startsWith(Command c, List<String> prefix) {
    if (prefix.isEmpty()) {
      return true;
    }
    List<String> argv = c.argv();
    if (argv.size() < prefix.size() || !c.programName().equals(prefix.get(0))) {
      return false;
    }
    return argv.subList(1, prefix.size()).equals(prefix.subList(1, prefix.size()));
  }

  @Override
  public CommandResult run(Command command) {
    return run(command, (OutputListener) null);
  }

  /** Scripted replies and faults are replayed to the listener; commands passed on stream through. */
  @Override
  public CommandResult run(Command command, OutputListener listener) {
    Rule rule;
    Object queued = null;
    synchronized (this) {
      all.add(command);
      untaken.addLast(command);
      rule = rules.stream().filter(r -> r.consume(command)).findFirst().orElse(null);
      if (rule == null && !queue.isEmpty()) {
        queued = queue.removeFirst();
      }
    }
    boolean[] streamed = {false};
    Supplier<CommandResult> real = () -> {
      streamed[0] = listener != null;
      return passOn(command, listener);
    };
    CommandResult r;
    if (rule != null) {
      r = rule.answer(command, hostName, real);
    } else if (queued instanceof Reply reply) {
      r = reply.toResult(command, Duration.ofMillis(1));
    } else if (queued instanceof Fault fault) {
      r = fault.apply(command, hostName, real);
    } else {
      r = real.get();
    }
    if (listener != null && !streamed[0]) {
      OutputListener.replay(r, listener);
    }
    return r;
  }

  private CommandResult passOn(Command command, OutputListener listener) {
    if (delegate == null) {
      throw new IllegalStateException("RecordingRunner: no reply scripted for `" + command + "`");
    }
    return listener == null ? delegate.run(command) : delegate.run(command, listener);
  }

  /** Every command seen, in order. */
  public synchronized List<Command> commands() {
    return List.copyOf(all);
  }

  /** Removes and returns the oldest command not yet taken. */
  public synchronized Command takeCommand() {
    Command c = untaken.pollFirst();
    if (c == null) {
      throw new NoSuchElementException("no command was run since the last takeCommand()");
    }
    return c;
  }

  public synchronized int commandCount() {
    return all.size();
  }

  /** How the matching commands are answered, and how often. */
  public final class Rule {
    private final Predicate<Command> predicate;
    private final String description;
    private Reply reply;
    private Fault fault;
    private int skip;
    private int remaining = Integer.MAX_VALUE;
    private int hits;

    private Rule(Predicate<Command> predicate, String description) {
      this.predicate = predicate;
      this.description = description;
    }

    public Rule reply(Reply reply) {
      synchronized (RecordingRunner.this) {
        this.reply = reply;
        this.fault = null;
      }
      return this;
    }

    public Rule fault(Fault fault) {
      synchronized (RecordingRunner.this) {
        this.fault = fault;
        this.reply = null;
      }
      return this;
    }

    /** Lets the first {@code n} matches through untouched. */
    public Rule afterMatches(int n) {
      synchronized (RecordingRunner.this) {
        this.skip = n;
      }
      return this;
    }

    /** Applies to at most {@code n} matches (after any skipped ones). */
    public Rule times(int n) {
      synchronized (RecordingRunner.this) {
        this.remaining = n;
      }
      return this;
    }

    public Rule once() {
      return times(1);
    }

    /** How many commands this rule answered. */
    public int hits() {
      synchronized (RecordingRunner.this) {
        return hits;
      }
    }

    private boolean consume(Command c) {
      if (remaining <= 0 || !predicate.test(c)) {
        return false;
      }
      if (skip > 0) {
        skip--;
        return false;
      }
      remaining--;
      hits++;
      return true;
    }

    private CommandResult answer(Command c, String host, Supplier<CommandResult> real) {
      if (fault != null) {
        return fault.apply(c, host, real);
      }
      if (reply != null) {
        return reply.toResult(c, Duration.ofMillis(1));
      }
      return real.get();
    }

    @Override
    public String toString() {
      return "rule(" + description + ")";
    }
  }
}
