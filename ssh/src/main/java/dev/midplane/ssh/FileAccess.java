package dev.midplane.ssh;

/** How a remote host's files ({@code host.path("/sys/...")}) are reached. */
public enum FileAccess {
  /**
   * SFTP when the server offers the subsystem, else {@link #COMMANDS}; decided at the first file
   * operation. The default.
   */
  AUTO,
  /** The SFTP subsystem only; file operations fail when the server has none. */
  SFTP,
  /**
   * Small commands over the SSH session ({@code stat}, {@code cat}, {@code find}, {@code readlink},
   * {@code dd}, {@code mv} ...), for servers without SFTP such as a bare dropbear. Needs a POSIX
   * shell and coreutils or busybox on the remote host.
   */
  COMMANDS
}
