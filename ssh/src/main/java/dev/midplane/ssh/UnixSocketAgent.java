package dev.midplane.ssh;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.List;
import java.util.Map;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentKeyConstraint;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a running ssh-agent over its Unix domain socket (Java's own
 * {@code SocketChannel}, no native library), offered to sshd as its {@link SshAgent}: it lists
 * the agent's identities and has the agent sign with them. Read-only by design: it never adds or
 * removes keys (that is {@code ssh-add}'s job). Every exchange is bounded by a timeout, so a
 * stuck agent fails the authentication instead of hanging it; every error names the socket.
 */
final class UnixSocketAgent implements SshAgent {
  private static final Logger LOG = LoggerFactory.getLogger(UnixSocketAgent.class);

  private final Path socket;
  private final Duration timeout;
  private final SocketChannel channel;
  private final Selector selector;
  private List<AgentProtocol.Identity> listed = List.of();

  private UnixSocketAgent(Path socket, Duration timeout, SocketChannel channel, Selector selector) {
    this.socket = socket;
    this.timeout = timeout;
    this.channel = channel;
    this.selector = selector;
  }

  /**
   * Connects to the agent listening on {@code socket}; each later request must be answered
   * within {@code timeout}.
   *
   * @throws IOException naming the socket when it does not exist, is not a socket, or nobody
   *     listens on it
   */
  static UnixSocketAgent connect(Path socket, Duration timeout) throws IOException {
    if (!Files.exists(socket)) {
      throw new IOException("ssh-agent socket " + socket + " does not exist");
    }
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.configureBlocking(false);
      Selector sel = Selector.open();
      ch.register(sel, 0);
      return new UnixSocketAgent(socket, timeout, ch, sel);
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot connect to the ssh-agent at " + socket + ": " + e.getMessage(), e);
    }
  }

  Path socket() {
    return socket;
  }

  /** Every identity the agent holds, in its order, decodable or not. */
  synchronized List<AgentProtocol.Identity> identities() throws IOException {
    byte[] answer = exchange(AgentProtocol.requestIdentities(), "REQUEST_IDENTITIES");
    try {
      listed = AgentProtocol.identities(answer);
    } catch (IOException e) {
      throw evidence("REQUEST_IDENTITIES", e);
    }
    return listed;
  }

  @Override
  public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() throws IOException {
    return identities().stream()
        .filter(i -> i.key().isPresent())
        .map(i -> new SimpleImmutableEntry<>(i.key().get(), i.comment()))
        .toList();
  }

  @Override
  public synchronized Map.Entry<String, byte[]> sign(SessionContext session, PublicKey key, String algorithm, byte[] data)
      throws IOException {
    String keyType = KeyUtils.getKeyType(key);
    byte[] blob = listed.stream()
        .filter(i -> i.key().isPresent() && KeyUtils.compareKeys(i.key().get(), key))
        .map(AgentProtocol.Identity::blob)
        .findFirst()
        .orElseGet(() -> {
          ByteArrayBuffer b = new ByteArrayBuffer();
          b.putRawPublicKey(key);
          return b.getCompactData();
        });
    int flags;
    try {
      flags = AgentProtocol.flags(keyType, algorithm);
    } catch (IllegalArgumentException e) {
      throw new IOException("ssh-agent at " + socket + ": " + e.getMessage(), e);
    }
    String what = "SIGN_REQUEST (" + algorithm + ", " + keyType + " " + KeyUtils.getFingerPrint(key) + ")";
    byte[] answer = exchange(AgentProtocol.signRequest(blob, data, flags), what);
    try {
      AgentProtocol.Signature s = AgentProtocol.signature(answer, algorithm);
      LOG.debug("ssh-agent at {} signed with {} {}", socket, s.algorithm(), KeyUtils.getFingerPrint(key));
      return new SimpleImmutableEntry<>(s.algorithm(), s.blob());
    } catch (IOException e) {
      throw evidence(what, e);
    }
  }

  /** Sends one framed request and reads the answer, within the timeout. */
  private byte[] exchange(byte[] request, String what) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      ByteBuffer out = ByteBuffer.wrap(request);
      while (out.hasRemaining()) {
        if (channel.write(out) == 0) {
          await(SelectionKey.OP_WRITE, deadline);
        }
      }
      return AgentProtocol.readMessage(dst -> {
        int n;
        while ((n = channel.read(dst)) == 0) {
          await(SelectionKey.OP_READ, deadline);
        }
        return n;
      });
    } catch (IOException e) {
      throw evidence(what, e);
    }
  }

  private IOException evidence(String what, IOException e) {
    return new IOException("ssh-agent at " + socket + ", " + what + ": " + e.getMessage(), e);
  }

  private void await(int op, long deadline) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new IOException("no answer within " + timeout.toMillis() + " ms");
    }
    channel.keyFor(selector).interestOps(op);
    selector.select(Math.max(1, (left + 999_999) / 1_000_000));
    selector.selectedKeys().clear();
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }

  @Override
  public void addIdentity(KeyPair key, String comment, SshAgentKeyConstraint... constraints) throws IOException {
    throw readOnly();
  }

  @Override
  public void removeIdentity(PublicKey key) throws IOException {
    throw readOnly();
  }

  @Override
  public void removeAllIdentities() throws IOException {
    throw readOnly();
  }

  private IOException readOnly() {
    return new IOException("ssh-agent at " + socket + ": this client only lists identities and signs; manage keys with ssh-add");
  }

  @Override
  public String toString() {
    return "ssh-agent at " + socket;
  }
}
