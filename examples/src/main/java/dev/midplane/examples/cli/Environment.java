package dev.midplane.examples.cli;

import dev.midplane.core.Host;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the commands take from the world around them: the local host, a host rooted at a
 * directory (for {@code inventory --root}), and standard input. The real one is
 * {@link #system()}; tests give the commands a host inside a network namespace, or a directory.
 *
 * @param localHost the machine the {@code vif} commands act on
 * @param rootedHost the local machine with its files under another root
 * @param stdin what {@code -} reads in {@code parse}
 */
public record Environment(Supplier<Host> localHost, Function<Path, Host> rootedHost, Supplier<InputStream> stdin) {
  public Environment {
    Objects.requireNonNull(localHost, "localHost");
    Objects.requireNonNull(rootedHost, "rootedHost");
    Objects.requireNonNull(stdin, "stdin");
  }

  /** This machine, its processes and files, and the process's standard input. */
  public static Environment system() {
    return new Environment(Host::local, Host::local, () -> System.in);
  }

  /** The same environment with another local host. */
  public Environment withLocalHost(Supplier<Host> host) {
    return new Environment(host, rootedHost, stdin);
  }

  /** The same environment with another standard input. */
  public Environment withStdin(Supplier<InputStream> in) {
    return new Environment(localHost, rootedHost, in);
  }
}
