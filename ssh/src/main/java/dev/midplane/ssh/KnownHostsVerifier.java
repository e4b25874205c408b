package dev.midplane.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Host-key verification against a known_hosts file (sshd's parser: plain and hashed host
 * patterns, {@code [host]:port}, {@code @revoked}), which records why a key was refused on the
 * session so that the connection can fail with a {@link HostKeyRejectedException}.
 */
final class KnownHostsVerifier extends KnownHostsServerKeyVerifier {
  /** A refusal: what the server presented and why it was refused. */
  record Rejection(HostKeyRejectedException.Reason reason, String keyType, String fingerprint, List<String> expected) {}

  static final AttributeRepository.AttributeKey<Rejection> REJECTION = new AttributeRepository.AttributeKey<>();

  private final HostKeyPolicy policy;

  KnownHostsVerifier(Path file, HostKeyPolicy policy) {
    super(policy == HostKeyPolicy.STRICT ? RejectAllServerKeyVerifier.INSTANCE : AcceptAllServerKeyVerifier.INSTANCE, file);
    this.policy = policy;
  }

  @Override
  protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
    if (policy == HostKeyPolicy.STRICT) {
      record(session, HostKeyRejectedException.Reason.UNKNOWN, key, List.of());
      return false;
    }
    // Accepted by the delegate, then appended to the file by the superclass.
    return super.acceptUnknownHostKey(session, remote, key);
  }

  @Override
  public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
      PublicKey expected, PublicKey actual) {
    record(session, HostKeyRejectedException.Reason.CHANGED, actual, List.of(KeyUtils.getKeyType(expected) + " "
        + KeyUtils.getFingerPrint(expected)));
    return false;
  }

  @Override
  protected void handleRevokedKey(ClientSession session, SocketAddress remote, PublicKey key) {
    record(session, HostKeyRejectedException.Reason.REVOKED, key, List.of());
    super.handleRevokedKey(session, remote, key);
  }

  private static void record(ClientSession session, HostKeyRejectedException.Reason reason, PublicKey key,
      List<String> expected) {
    session.setAttribute(REJECTION, new Rejection(reason, KeyUtils.getKeyType(key), KeyUtils.getFingerPrint(key), expected));
  }
}
