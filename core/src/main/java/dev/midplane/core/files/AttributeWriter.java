package dev.midplane.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How a host's kernel attributes ({@code /sys}, {@code /proc/sys}) are written: one
 * {@code write(2)} of the whole value to an existing file, the way {@code echo value > attr} does,
 * and a refusal reported with its errno. On a real kernel the file is the kernel's; on a simulated
 * host the simulated kernel implements this interface and reacts to the write as Linux would.
 */
@FunctionalInterface
public interface AttributeWriter {
  /**
   * Writes {@code value} to the attribute at {@code file} (a path under the host's root).
   *
   * @param hostPath the attribute as the host names it, for the error message
   * @throws AttributeWriteException when the kernel refuses the value
   */
  void write(Path file, String hostPath, String value);

  /** Writes to real files: for the local host and for hosts whose files are a mounted file system. */
  static AttributeWriter direct(String hostName) {
    return (file, hostPath, value) -> {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
        int n = ch.write(b);
        if (b.hasRemaining()) {
          throw new AttributeWriteException(hostName, hostPath, value, null,
              "short write: " + n + " of " + b.capacity() + " bytes", null);
        }
      } catch (NoSuchFileException e) {
        throw new AttributeWriteException(hostName, hostPath, value, Errno.ENOENT, "", e);
      } catch (AccessDeniedException e) {
        throw new AttributeWriteException(hostName, hostPath, value, Errno.EACCES, "", e);
      } catch (IOException e) {
        throw new AttributeWriteException(hostName, hostPath, value, Errno.fromMessage(e.getMessage()).orElse(null),
            Errno.fromMessage(e.getMessage()).isPresent() ? "" : String.valueOf(e.getMessage()), e);
      }
    };
  }
}
