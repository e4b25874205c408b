package dev.midplane.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * The server's host key was not accepted. The message says why, names the host and gives the
 * key's type and SHA256 fingerprint (as {@code ssh-keygen -lf} prints it) and the known_hosts file
 * consulted, so that an operator can check the fingerprint out of band and add the key.
 */
public class HostKeyRejectedException extends SshConnectException {
  private static final long serialVersionUID = 1L;

  /** Why the key was refused. */
  public enum Reason {
    /** The known_hosts file has no key for this host. */
    UNKNOWN,
    /** The known_hosts file has a different key for this host: possibly an attack. */
    CHANGED,
    /** The known_hosts file marks the key {@code @revoked}. */
    REVOKED
  }

  private final Reason reason;
  private final String keyType;
  private final String fingerprint;
  private final transient Path knownHosts;
  private final List<String> expectedFingerprints;

  public HostKeyRejectedException(String user, String host, int port, Reason reason, String keyType,
      String fingerprint, Path knownHosts, List<String> expectedFingerprints) {
    super(user, host, port, describe(host, port, reason, keyType, fingerprint, knownHosts, expectedFingerprints), null);
    this.reason = reason;
    this.keyType = keyType;
    this.fingerprint = fingerprint;
    this.knownHosts = knownHosts;
    this.expectedFingerprints = List.copyOf(expectedFingerprints);
  }

  private static String describe(String host, int port, Reason reason, String type, String fp, Path file,
      List<String> expected) {
    String who = port == 22 ? host : "[" + host + "]:" + port;
    return switch (reason) {
      case UNKNOWN -> "host key of " + who + " is not in " + file + " (" + type + " " + fp
          + "); verify the fingerprint out of band, then add the key to that file";
      case CHANGED -> "HOST KEY OF " + who + " HAS CHANGED: " + file + " lists " + String.join(", ", expected)
          + " but the server presented " + type + " " + fp
          + "; someone may be intercepting the connection, or the host was reinstalled";
      case REVOKED -> "host key of " + who + " (" + type + " " + fp + ") is marked @revoked in " + file;
    };
  }

  public Reason reason() {
    return reason;
  }

  /** The SSH key type the server presented, e.g. {@code ssh-ed25519}. */
  public String keyType() {
    return keyType;
  }

  /** The presented key's fingerprint, {@code SHA256:<base64>}. */
  public String fingerprint() {
    return fingerprint;
  }

  public Path knownHosts() {
    return knownHosts;
  }

  /** For {@link Reason#CHANGED}: the fingerprints the known_hosts file lists for the host. */
  public List<String> expectedFingerprints() {
    return expectedFingerprints;
  }
}
