package dev.midplane.core.exec;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One external command: an argv list (never a shell string), optional stdin, an optional timeout
 * and environment additions. Immutable; {@link #toString()} is a shell-quoted rendering for people
 * and is never executed.
 *
 * <pre>{@code
 * Command.of("ip", "-j", "-d", "link", "show", "dev", bond.toString())
 * Command.builder("ebtables-restore").stdin(rules).timeout(Duration.ofSeconds(10)).build()
 * }</pre>
 */
public final class Command {
  private final List<String> argv;
  private final String stdin;
  private final Duration timeout;
  private final Map<String, String> environment;

  private Command(Builder b) {
    Preconditions.checkArgument(!b.argv.isEmpty(), "argv must not be empty");
    Preconditions.checkArgument(!b.argv.get(0).isEmpty(), "argv[0] must not be empty");
    for (String a : b.argv) {
      Objects.requireNonNull(a, "argv element");
      Preconditions.checkArgument(a.indexOf('\0') < 0, "argv element contains NUL: %s", a.replace("\0", "\\0"));
    }
    for (Map.Entry<String, String> e : b.environment.entrySet()) {
      Preconditions.checkArgument(
          e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*"), "bad environment variable name: %s", e.getKey());
      Preconditions.checkArgument(e.getValue().indexOf('\0') < 0, "environment value contains NUL");
    }
    if (b.timeout != null) {
      Preconditions.checkArgument(!b.timeout.isNegative() && !b.timeout.isZero(), "timeout must be positive: %s", b.timeout);
    }
    this.argv = List.copyOf(b.argv);
    this.stdin = b.stdin;
    this.timeout = b.timeout;
    this.environment = Map.copyOf(b.environment);
  }

  /** A command with the given argv and nothing else. */
  public static Command of(String... argv) {
    return builder(argv).build();
  }

  public static Command of(List<String> argv) {
    return new Builder().args(argv).build();
  }

  /** A builder whose argv starts with {@code argv}; more arguments may be added. */
  public static Builder builder(String... argv) {
    return new Builder().args(List.of(argv));
  }

  public Builder toBuilder() {
    Builder b = new Builder().args(argv);
    b.stdin = stdin;
    b.timeout = timeout;
    b.environment.putAll(environment);
    return b;
  }

  public List<String> argv() {
    return argv;
  }

  /** argv[0]. */
  public String program() {
    return argv.get(0);
  }

  /** argv[0] without its directory: {@code ip} for {@code /usr/sbin/ip}. */
  public String programName() {
    String p = argv.get(0);
    int slash = p.lastIndexOf('/');
    return slash < 0 ? p : p.substring(slash + 1);
  }

  /** argv without argv[0]. */
  public List<String> arguments() {
    return argv.subList(1, argv.size());
  }

  public Optional<String> stdin() {
    return Optional.ofNullable(stdin);
  }

  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  public Map<String, String> environment() {
    return environment;
  }

  public Command withTimeout(Duration timeout) {
    return toBuilder().timeout(timeout).build();
  }

  public Command withStdin(String stdin) {
    return toBuilder().stdin(stdin).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Command c && c.argv.equals(argv) && Objects.equals(c.stdin, stdin)
        && Objects.equals(c.timeout, timeout) && c.environment.equals(environment);
  }

  @Override
  public int hashCode() {
    return Objects.hash(argv, stdin, timeout, environment);
  }

  /** The argv, shell-quoted for reading (plus {@code < stdin} when there is stdin). Never executed. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    environment.forEach((k, v) -> b.append(k).append('=').append(ShellQuoting.quote(v)).append(' '));
    b.append(ShellQuoting.join(argv));
    if (stdin != null) {
      b.append(" <<<(").append(stdin.length()).append(" chars)");
    }
    return b.toString();
  }

  /** Builds a {@link Command}; each name type goes in through its canonical string. */
  public static final class Builder {
    private final List<String> argv = new ArrayList<>();
    private String stdin;
    private Duration timeout;
    private final Map<String, String> environment = new LinkedHashMap<>();

    private Builder() {}

    public Builder arg(String arg) {
      argv.add(Objects.requireNonNull(arg, "arg"));
      return this;
    }

    /** Adds a validated value through its canonical {@code toString()} (names, addresses). */
    public Builder arg(Object value) {
      return arg(value.toString());
    }

    public Builder args(String... args) {
      return args(List.of(args));
    }

    public Builder args(List<String> args) {
      for (String a : args) {
        arg(a);
      }
      return this;
    }

    public Builder stdin(String stdin) {
      this.stdin = stdin;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder env(String name, String value) {
      environment.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
      return this;
    }

    public Command build() {
      return new Command(this);
    }
  }
}
