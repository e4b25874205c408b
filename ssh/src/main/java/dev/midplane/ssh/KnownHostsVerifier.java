package dev.midplane.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import com.google.common.collect.MapMaker;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Host-key verification against a known_hosts file (sshd's parser: plain and hashed host
 * patterns, {@code [host]:port}, {@code @revoked}), which remembers why it refused a session's key
 * so that the connection can fail with a {@link HostKeyRejectedException}.
 */
final class KnownHostsVerifier extends KnownHostsServerKeyVerifier {
  /** A refusal: what the server presented and why it was refused. */
  record Rejection(HostKeyRejectedException.Reason reason, String keyType, String fingerprint, List<String> expected) {}

  /** Refusals by session, kept here because a session clears its own attributes as it closes. */
  private final Map<ClientSession, Rejection> rejections = new MapMaker().weakKeys().makeMap();
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

  /** Why this verifier refused the key of {@code session}; empty when it did not. */
  Optional<Rejection> rejection(ClientSession session) {
    return Optional.ofNullable(rejections.get(session));
  }

  private void record(ClientSession session, HostKeyRejectedException.Reason reason, PublicKey key,
      List<String> expected) {
    rejections.put(session, new Rejection(reason, KeyUtils.getKeyType(key), KeyUtils.getFingerPrint(key), expected));
  }
}
