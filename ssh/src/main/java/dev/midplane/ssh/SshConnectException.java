package dev.midplane.ssh;

import dev.midplane.core.MidplaneException;

/**
 * An SSH session to a host could not be established: the address did not answer, the host key
 * was refused ({@link HostKeyRejectedException}), authentication failed, or an identity file
 * could not be read. The message names the user, host and port.
 */
public class SshConnectException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final String host;
  private final int port;

  public SshConnectException(String user, String host, int port, String what, Throwable cause) {
    super("ssh " + user + "@" + host + ":" + port + ": " + what, cause);
    this.host = host;
    this.port = port;
  }

  /** The address that was connected to. */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }
}
