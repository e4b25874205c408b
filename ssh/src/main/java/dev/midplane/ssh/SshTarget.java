package dev.midplane.ssh;

import com.google.common.base.Preconditions;
import com.google.common.net.InetAddresses;
import dev.midplane.core.Host;
import dev.midplane.core.InvalidNameException;
import dev.midplane.core.MidplaneStyle;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.names.HostName;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Where and how to reach a host over SSH: address, port, user, identities, the known_hosts file,
 * and the limits of the session. An immutable value; {@link #connect()} turns it into a
 * {@link Host} of kind {@link Host.Kind#REMOTE}.
 *
 * <pre>{@code
 * Host blade = SshTarget.builder("blade07.example.net")
 *     .user("root")
 *     .addIdentities(Path.of("/home/ops/.ssh/id_ed25519"))   // and/or .useAgent()
 *     .knownHosts(Path.of("/home/ops/.ssh/known_hosts"))
 *     .connect();
 * try (blade) {
 *   blade.execute("multipath", "-ll");
 *   String mode = Files.readString(blade.path("/sys/class/net/bond0/bonding/mode"));
 * }
 * }</pre>
 *
 * <p>The host behind the returned {@code Host}:
 * <ul>
 *   <li>commands: one SSH session carries them all, each on a channel of its own (up to
 *       {@link #maxParallelChannels()} at once); the argv is quoted once, at the transport edge,
 *       for the remote user's POSIX shell; on timeout or interrupt the remote process and its
 *       descendants are killed; a dropped session is re-established for the next command;
 *   <li>files: {@code host.path(...)} resolves on the remote file system, over SFTP or over small
 *       commands (see {@link FileAccess}); reads, listings, symlinks, attributes and the atomic
 *       writes of {@code AtomicFiles} work on both;
 *   <li>kernel attributes: {@code host.writeAttribute(...)} is one {@code write(2)} of the whole
 *       value on the remote host, a refusal reported with its errno;
 *   <li>{@code close()} ends the session.
 * </ul>
 */
@Value.Immutable
@MidplaneStyle
public abstract class SshTarget {
  /** The host name or IP address to connect to. */
  public abstract String address();

  @Value.Default
  public int port() {
    return 22;
  }

  @Value.Default
  public String user() {
    return "root";
  }

  /** OpenSSH private key files (ed25519, RSA, ECDSA; OpenSSH or PEM format), tried in order. */
  public abstract List<Path> identities();

  /** Key pairs held in memory, tried after the files. */
  @Value.Redacted
  public abstract List<KeyPair> keyPairs();

  /**
   * The Unix socket of a running ssh-agent whose identities authenticate too: sshd offers the
   * agent's identities first, then {@link #identities()} and {@link #keyPairs()}. The agent
   * signs; its private keys never enter the JVM. RSA keys sign with rsa-sha2-256 or -512 only
   * as the server accepts them. A socket that does not exist or does not answer (within
   * {@link #authTimeout()}) fails the connection with an error naming it. {@link Builder#useAgent()}
   * takes the socket from {@code SSH_AUTH_SOCK}.
   */
  public abstract Optional<Path> agentSocket();

  /** The passphrase of encrypted identity files. */
  @Value.Redacted
  public abstract Optional<String> passphrase();

  /** The known_hosts file; {@code ~/.ssh/known_hosts} when absent. */
  public abstract Optional<Path> knownHosts();

  @Value.Default
  public HostKeyPolicy hostKeyPolicy() {
    return HostKeyPolicy.STRICT;
  }

  /** Time allowed for the TCP connection and the key exchange. */
  @Value.Default
  public Duration connectTimeout() {
    return Duration.ofSeconds(10);
  }

  /** Time allowed for authentication. */
  @Value.Default
  public Duration authTimeout() {
    return Duration.ofSeconds(15);
  }

  /** The timeout of commands that do not set one. */
  @Value.Default
  public Duration defaultCommandTimeout() {
    return Host.DEFAULT_COMMAND_TIMEOUT;
  }

  /**
   * Interval of keep-alive requests; after three unanswered ones the session is deemed dead,
   * running commands fail, and the next command reconnects. {@link Duration#ZERO} turns them off.
   */
  @Value.Default
  public Duration keepAliveInterval() {
    return Duration.ofSeconds(15);
  }

  /**
   * Commands (and command-based file operations) running at once on the session; more wait for
   * a free channel within their timeout. Besides these the session holds the SFTP channel and,
   * briefly, one that kills a timed-out command: the default 8 fits OpenSSH's {@code MaxSessions}
   * default of 10.
   */
  @Value.Default
  public int maxParallelChannels() {
    return 8;
  }

  /** Bound on each of a command's stdout and stderr, and on a file read; the rest is discarded. */
  @Value.Default
  public int maxOutputBytes() {
    return LocalCommandRunner.DEFAULT_MAX_OUTPUT_BYTES;
  }

  @Value.Default
  public FileAccess fileAccess() {
    return FileAccess.AUTO;
  }

  /** The name of the resulting {@link Host}; by default the address. */
  public abstract Optional<HostName> name();

  /** The name the {@link Host} will carry. */
  public HostName hostName() {
    if (name().isPresent()) {
      return name().get();
    }
    if (!HostName.isValid(address())) {
      throw new InvalidNameException("host name", address(), "an address that is not a host name (such as an "
          + "IPv6 literal) needs an explicit name(...) for the Host");
    }
    return HostName.of(address());
  }

  /** The known_hosts file consulted: {@link #knownHosts()} or {@code ~/.ssh/known_hosts}. */
  public Path knownHostsFile() {
    return knownHosts().orElseGet(() -> Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
  }

  @Value.Check
  protected void check() {
    String a = address();
    Preconditions.checkArgument(!a.isEmpty(), "address must not be empty");
    if (!(HostName.isValid(a) || InetAddresses.isInetAddress(a))) {
      throw new InvalidNameException("ssh address", a, "neither a host name nor an IP address");
    }
    Preconditions.checkArgument(port() > 0 && port() < 65536, "port out of range: %s", port());
    Preconditions.checkArgument(user().matches("[A-Za-z_][A-Za-z0-9_.-]{0,31}"), "bad user name: %s", user());
    Preconditions.checkArgument(!identities().isEmpty() || !keyPairs().isEmpty() || agentSocket().isPresent(),
        "no identity: add an identity file, a key pair or an agent socket (only key authentication is supported)");
    for (Duration d : List.of(connectTimeout(), authTimeout(), defaultCommandTimeout())) {
      Preconditions.checkArgument(!d.isNegative() && !d.isZero(), "timeouts must be positive: %s", d);
    }
    Preconditions.checkArgument(!keepAliveInterval().isNegative(), "negative keep-alive interval");
    Preconditions.checkArgument(maxParallelChannels() > 0, "maxParallelChannels must be positive");
    Preconditions.checkArgument(maxOutputBytes() > 0, "maxOutputBytes must be positive");
  }

  /**
   * Connects, verifies the host key, authenticates, and returns the host. The session is kept
   * open until the host is closed.
   *
   * @throws SshConnectException when the session cannot be established
   * @throws HostKeyRejectedException when the server's key is not accepted
   */
  public Host connect() {
    return SshConnection.host(this, true);
  }

  /**
   * The host without connecting yet: the session is established by the first command or file
   * operation, and connection failures surface there (as the cause of a
   * {@link dev.midplane.core.CommandFailedException} or of an {@link java.io.IOException}). Handy
   * for a {@link dev.midplane.core.chassis.Chassis} of many blades, where a dead one must not stop
   * the others from being built.
   */
  public Host connectLazily() {
    return SshConnection.host(this, false);
  }

  /** The environment variable naming the ssh-agent's socket. */
  public static final String SSH_AUTH_SOCK = "SSH_AUTH_SOCK";

  /** A builder for a target at {@code address} (a host name or an IP address). */
  public static Builder builder(String address) {
    return new Builder().address(address);
  }

  /** Builds a {@link SshTarget}; {@link #connect()} builds and connects in one go. */
  public static final class Builder extends ImmutableSshTarget.Builder {
    /**
     * Authenticates also with the identities of the ssh-agent named by the environment variable
     * {@code SSH_AUTH_SOCK} (read now), as {@code ssh} does.
     *
     * @throws IllegalStateException when {@code SSH_AUTH_SOCK} is not set
     */
    public Builder useAgent() {
      return useAgent(System.getenv());
    }

    Builder useAgent(Map<String, String> environment) {
      String sock = environment.get(SSH_AUTH_SOCK);
      if (sock == null || sock.isEmpty()) {
        throw new IllegalStateException(SSH_AUTH_SOCK + " is not set: no ssh-agent to use (start one with"
            + " `eval $(ssh-agent)`, or name its socket with agentSocket(path))");
      }
      return agentSocket(Path.of(sock));
    }

    /** {@code build().connect()}. */
    public Host connect() {
      return build().connect();
    }

    /** {@code build().connectLazily()}. */
    public Host connectLazily() {
      return build().connectLazily();
    }
  }
}
