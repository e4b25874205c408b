package dev.midplane.ssh;

/**
 * What to do with a server's host key that the known_hosts file does not list. A key that
 * differs from the one recorded for the host, or that the file marks {@code @revoked}, is
 * rejected under every policy.
 */
public enum HostKeyPolicy {
  /**
   * Only keys listed in the known_hosts file are accepted; an unknown key fails the connection
   * with a {@link HostKeyRejectedException} that names the host and the key's fingerprint. The
   * default.
   */
  STRICT,
  /**
   * Accepts a key never seen before and records it in the known_hosts file (trust on first use),
   * as {@code ssh -o StrictHostKeyChecking=accept-new} does. Insecure on first contact: meant for
   * throw-away lab machines whose keys are made at boot.
   */
  INSECURE_ACCEPT_NEW_AND_RECORD
}
