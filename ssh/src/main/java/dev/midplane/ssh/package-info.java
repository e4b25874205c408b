/**
 * Remote hosts over SSH (Apache MINA SSHD): a {@link dev.midplane.core.Host} of kind
 * {@code REMOTE} whose commands, files and kernel attribute writes are the remote machine's.
 *
 * <p>Entry point: {@link dev.midplane.ssh.SshTarget} — an immutable description of where and how
 * to connect (address, port, user, key files and/or a running ssh-agent's socket, known_hosts,
 * {@link dev.midplane.ssh.HostKeyPolicy}, timeouts, {@link dev.midplane.ssh.FileAccess}) — and
 * its {@code connect()}:
 *
 * <pre>{@code
 * try (Host blade = SshTarget.builder("blade07").addIdentities(key).knownHosts(knownHosts).connect()) {
 *   blade.execute("multipath", "-r");
 *   List<Path> hbas = Files.list(blade.path("/sys/class/fc_host")).toList();
 *   blade.writeAttribute("/sys/class/scsi_host/host1/scan", "- - -");
 * }
 * }</pre>
 *
 * <p>Transport in short: one session per host carries every command on a channel of its own; the
 * argv is shell-quoted exactly once for the remote user's POSIX shell and started with
 * {@code exec}; timeouts and interrupts kill the remote process tree through a second channel; a
 * dropped session is re-established by the next operation. Host keys are verified against a
 * known_hosts file, unknown and changed keys refused by default
 * ({@link dev.midplane.ssh.HostKeyRejectedException}). An ssh-agent is reached over its Unix socket
 * with Java's own {@code SocketChannel} (no native library): the agent signs, its keys never enter
 * the JVM. Files are a {@code java.nio} file system
 * served over SFTP, or over small commands where the server has no SFTP (a bare dropbear).
 * Connection failures are {@link dev.midplane.ssh.SshConnectException}s.
 */
package dev.midplane.ssh;
