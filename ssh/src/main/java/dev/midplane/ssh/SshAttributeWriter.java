package dev.midplane.ssh;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.files.AttributeWriteException;
import dev.midplane.core.files.AttributeWriter;
import dev.midplane.core.files.Errno;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Kernel attribute writes on a remote host: one {@code write(2)} of the whole value to an existing
 * file, as {@code echo -n value > attr} does, and a refusal reported with its errno.
 *
 * <p>Always through a command, never SFTP: SFTP v3 status codes fold most errnos into
 * "Failure" (OpenSSH's sftp-server answers EINVAL as "Bad message" and EBUSY as "Failure"), while
 * the remote {@code dd} names the errno in its message, which {@link Errno#fromMessage} reads. The
 * value goes through a pipe in one piece (attribute values are far below the pipe's atomic size),
 * so {@code dd} reads it in one and writes it in one.
 */
final class SshAttributeWriter implements AttributeWriter {
  static final String SCRIPT = """
      [ -e "$2" ] || { printf '%s: No such file or directory\\n' "$2" >&2; exit 1; }
      printf '%s' "$1" | dd of="$2" bs=65536 conv=notrunc status=none
      """;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final RemoteExec exec;
  private final String hostName;

  SshAttributeWriter(RemoteExec exec, String hostName) {
    this.exec = exec;
    this.hostName = hostName;
  }

  @Override
  public void write(Path file, String hostPath, String value) {
    String remote = RemotePath.remoteString(file);
    RemoteExec.Raw r;
    try {
      r = exec.run(List.of("sh", "-c", SCRIPT, "sh", value, remote), Map.of(), new byte[0], TIMEOUT);
    } catch (CommandFailedException e) {
      throw new AttributeWriteException(hostName, hostPath, value, null, e.getMessage(), e);
    }
    if (r.exitCode() != 0) {
      String stderr = r.stderrText().strip();
      Errno errno = Errno.fromMessage(stderr).orElse(null);
      throw new AttributeWriteException(hostName, hostPath, value, errno, "exit " + r.exitCode() + ": " + stderr, null);
    }
  }
}
