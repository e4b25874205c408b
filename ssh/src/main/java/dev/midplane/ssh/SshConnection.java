package dev.midplane.ssh;

import dev.midplane.core.Host;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.exec.Runners;
import dev.midplane.core.names.HostName;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH client and its session to one host: connected on first use, re-established when it
 * drops, closed with the host. Thread-safe: the session is shared by every command and file
 * operation, each on a channel of its own.
 */
final class SshConnection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SshConnection.class);

  private final SshTarget target;
  private final List<KeyPair> keys;
  private final SshClient client;
  private final KnownHostsVerifier verifier;
  private final ReentrantLock connectLock = new ReentrantLock();
  private final Object sftpLock = new Object();
  private volatile ClientSession session;
  private volatile SftpClient sftp;
  private volatile boolean closed;
  private int sessionsMade;

  SshConnection(SshTarget target) {
    this.target = target;
    this.keys = loadKeys(target);
    this.client = SshClient.setUpDefaultClient();
    this.verifier = new KnownHostsVerifier(target.knownHostsFile(), target.hostKeyPolicy());
    client.setServerKeyVerifier(verifier);
    // Nothing from ~/.ssh/config or default key files: the target says everything.
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    client.setAgentFactory(target.agentSocket()
        .map(sock -> new UnixSocketAgentFactory(sock, target.authTimeout()))
        .orElse(null));
    CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, target.connectTimeout());
    if (!target.keepAliveInterval().isZero()) {
      CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, target.keepAliveInterval());
      CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 3);
    }
    client.start();
  }

  /** The {@link Host} for {@code target}: SSH runner, remote file system, remote attribute writes. */
  static Host host(SshTarget target, boolean eager) {
    HostName name = target.hostName();
    SshConnection c = new SshConnection(target);
    try {
      if (eager) {
        c.session();
      }
      RemoteExec exec = new RemoteExec(c, name.value(), target.maxOutputBytes(), target.maxParallelChannels());
      CommandRunner runner = Runners.logging(Runners.withDefaultTimeout(new SshCommandRunner(exec), target.defaultCommandTimeout()));
      RemoteFileSystem fs = RemoteFileSystem.create(c, exec, target.fileAccess(), target.maxOutputBytes());
      return Host.of(name, Host.Kind.REMOTE, runner, fs.root(), new SshAttributeWriter(exec, name.value()), c);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  SshTarget target() {
    return target;
  }

  /** {@code user@address:port}, for messages. */
  String describe() {
    return target.user() + "@" + target.address() + ":" + target.port();
  }

  /**
   * The live session, connecting (again) when there is none or it was lost.
   *
   * @throws SshConnectException when it cannot be established; when the calling thread was
   *     interrupted, its interrupt flag is set
   */
  ClientSession session() {
    ClientSession s = session;
    if (isLive(s)) {
      return s;
    }
    try {
      connectLock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail("interrupted while waiting for the connection", e);
    }
    try {
      s = session;
      if (isLive(s)) {
        return s;
      }
      if (closed) {
        throw fail("the host has been closed", null);
      }
      if (s != null) {
        LOG.info("SSH session to {} was lost; reconnecting", describe());
      }
      s = connect();
      session = s;
      sessionsMade++;
      return s;
    } finally {
      connectLock.unlock();
    }
  }

  /** How many sessions were established so far (reconnects included). */
  int sessionsMade() {
    connectLock.lock();
    try {
      return sessionsMade;
    } finally {
      connectLock.unlock();
    }
  }

  /** Drops the current session (as a network failure would); the next operation reconnects. */
  void dropSession() {
    ClientSession s = session;
    if (s != null) {
      s.close(true);
    }
  }

  private static boolean isLive(ClientSession s) {
    return s != null && s.isOpen() && !s.isClosing();
  }

  private ClientSession connect() {
    ClientSession s = null;
    try {
      ConnectFuture cf = client.connect(target.user(), target.address(), target.port());
      try {
        Await.done(cf, target.connectTimeout());
      } catch (TimeoutException e) {
        cf.cancel();
        throw fail("no answer within " + target.connectTimeout().toMillis() + " ms", null);
      }
      if (!cf.isConnected()) {
        Throwable why = cf.getException();
        throw fail("cannot connect: " + (why == null ? "cancelled" : why.getMessage()), why);
      }
      s = cf.getSession();
      String agent = agentEvidence();
      for (KeyPair k : keys) {
        s.addPublicKeyIdentity(k);
      }
      AuthFuture af = s.auth();
      try {
        Await.done(af, target.authTimeout());
      } catch (TimeoutException e) {
        af.cancel();
        throw rejectedOr(s, fail("no key exchange and authentication within " + target.authTimeout().toMillis() + " ms", null));
      }
      if (!af.isSuccess()) {
        Throwable why = af.getException();
        throw rejectedOr(s, fail("authentication failed with " + keys.size() + " key(s)" + agent
            + (why == null ? "" : ": " + why.getMessage()), why));
      }
      LOG.debug("SSH session to {} established ({})", describe(), s.getServerVersion());
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(s);
      throw fail("interrupted while connecting", e);
    } catch (IOException e) {
      closeQuietly(s);
      throw fail("cannot connect: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(s);
      throw e;
    }
  }

  /**
   * When the target names an agent: asks it for its identities before authenticating, so that a
   * missing or dead agent is a clear error and an authentication failure can say what the agent
   * offered. Empty without an agent.
   */
  private String agentEvidence() {
    Path sock = target.agentSocket().orElse(null);
    if (sock == null) {
      return "";
    }
    List<AgentProtocol.Identity> ids;
    try (UnixSocketAgent agent = UnixSocketAgent.connect(sock, target.authTimeout())) {
      ids = agent.identities();
    } catch (IOException e) {
      throw fail(e.getMessage(), e);
    }
    StringBuilder b = new StringBuilder(" and " + ids.size() + " identit" + (ids.size() == 1 ? "y" : "ies")
        + " of the ssh-agent at " + sock);
    if (!ids.isEmpty()) {
      b.append(" [");
      b.append(String.join(", ", ids.stream().map(AgentProtocol.Identity::describe).toList()));
      b.append(']');
    }
    return b.toString();
  }

  private SshConnectException rejectedOr(ClientSession s, SshConnectException otherwise) {
    KnownHostsVerifier.Rejection r = verifier.rejection(s).orElse(null);
    if (r == null) {
      return otherwise;
    }
    return new HostKeyRejectedException(target.user(), target.address(), target.port(), r.reason(), r.keyType(),
        r.fingerprint(), target.knownHostsFile(), r.expected());
  }

  private SshConnectException fail(String what, Throwable cause) {
    return new SshConnectException(target.user(), target.address(), target.port(), what, cause);
  }

  private static void closeQuietly(ClientSession s) {
    if (s != null) {
      s.close(true);
    }
  }

  /**
   * An SFTP client on the live session, opened on first use and again after a reconnect.
   *
   * @throws SshConnectException when there is no session
   * @throws IOException when the server offers no SFTP subsystem (or it fails to start)
   */
  SftpClient sftp() throws IOException {
    ClientSession s = session();
    SftpClient c = sftp;
    if (c != null && c.isOpen() && c.getClientSession() == s) {
      return c;
    }
    synchronized (sftpLock) {
      c = sftp;
      if (c != null && c.isOpen() && c.getClientSession() == s) {
        return c;
      }
      c = SftpClientFactory.instance().createSftpClient(s);
      sftp = c;
      return c;
    }
  }

  private static List<KeyPair> loadKeys(SshTarget t) {
    List<KeyPair> out = new ArrayList<>();
    for (Path p : t.identities()) {
      FileKeyPairProvider provider = new FileKeyPairProvider(p);
      t.passphrase().ifPresent(pw -> provider.setPasswordFinder(FilePasswordProvider.of(pw)));
      int before = out.size();
      try {
        provider.loadKeys(null).forEach(out::add);
      } catch (RuntimeException e) {
        throw new SshConnectException(t.user(), t.address(), t.port(), "cannot read identity " + p + ": " + e, e);
      }
      if (out.size() == before) {
        throw new SshConnectException(t.user(), t.address(), t.port(), "cannot read identity " + p
            + ": no key in it (an encrypted key without its passphrase, or the wrong one?)", null);
      }
    }
    out.addAll(t.keyPairs());
    return List.copyOf(out);
  }

  @Override
  public void close() {
    closed = true;
    connectLock.lock();
    try {
      SftpClient c = sftp;
      if (c != null) {
        try {
          c.close();
        } catch (IOException e) {
          LOG.debug("closing SFTP to {}: {}", describe(), e.toString());
        }
      }
      closeQuietly(session);
      client.stop();
    } finally {
      connectLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "ssh " + describe();
  }
}
