package dev.midplane.ssh;

import dev.midplane.core.MidplaneException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Remote files over the SFTP subsystem (sshd's client), on the host's one session. SFTP v3, which
 * OpenSSH speaks, folds many errnos into "Failure"; where NIO needs the precise exception
 * (an existing target, a non-empty directory) it is found out with one more request. What SFTP v3
 * cannot do is done by {@code commands}: fsync where the server lacks {@code fsync@openssh.com},
 * owner and group by name, access checks for the session's user, and resolving symbolic links.
 */
final class SftpFileBackend implements FileBackend {
  private static final int CHUNK = 32 * 1024;

  private final SshConnection connection;
  private final CommandFileBackend commands;

  SftpFileBackend(SshConnection connection, CommandFileBackend commands) {
    this.connection = connection;
    this.commands = commands;
  }

  @Override
  public String kind() {
    return "sftp";
  }

  private SftpClient client(String path) throws IOException {
    try {
      return connection.sftp();
    } catch (MidplaneException e) {
      throw FileErrors.transport(path, e);
    }
  }

  @Override
  public RemoteAttributes stat(String path, boolean followLinks) throws IOException {
    SftpClient c = client(path);
    try {
      return attributes(followLinks ? c.stat(path) : c.lstat(path));
    } catch (SftpException e) {
      throw map(path, null, e);
    }
  }

  static RemoteAttributes attributes(SftpClient.Attributes a) {
    int mode = a.getPermissions();
    if ((mode & 0170000) == 0) {
      mode |= switch (a.getType()) {
        case SftpConstants.SSH_FILEXFER_TYPE_DIRECTORY -> 0040000;
        case SftpConstants.SSH_FILEXFER_TYPE_SYMLINK -> 0120000;
        case SftpConstants.SSH_FILEXFER_TYPE_REGULAR -> 0100000;
        default -> 0;
      };
    }
    FileTime epoch = FileTime.fromMillis(0);
    FileTime m = a.getModifyTime() == null ? epoch : a.getModifyTime();
    FileTime at = a.getAccessTime() == null ? m : a.getAccessTime();
    String owner = a.getOwner() != null ? a.getOwner() : Integer.toString(a.getUserId());
    String group = a.getGroup() != null ? a.getGroup() : Integer.toString(a.getGroupId());
    return new RemoteAttributes(mode, a.getSize(), at, m, m, owner, group, null);
  }

  @Override
  public String readLink(String path) throws IOException {
    SftpClient c = client(path);
    try {
      return c.readLink(path);
    } catch (SftpException e) {
      if (!stat(path, false).isSymbolicLink()) {
        throw new NotLinkException(path);
      }
      throw map(path, null, e);
    }
  }

  @Override
  public List<String> list(String dir) throws IOException {
    SftpClient c = client(dir);
    List<String> names = new ArrayList<>();
    try (SftpClient.CloseableHandle h = c.openDir(dir)) {
      for (List<SftpClient.DirEntry> batch = c.readDir(h); batch != null; batch = c.readDir(h)) {
        for (SftpClient.DirEntry e : batch) {
          String n = e.getFilename();
          if (!n.equals(".") && !n.equals("..")) {
            names.add(n);
          }
        }
      }
    } catch (SftpException e) {
      // OpenSSH answers ENOTDIR as "No such file", others as "Failure": look.
      if (e.getStatus() == SftpConstants.SSH_FX_FAILURE || e.getStatus() == SftpConstants.SSH_FX_NOT_A_DIRECTORY
          || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        RemoteAttributes a = stat(dir, true);
        if (!a.isDirectory()) {
          throw new NotDirectoryException(dir);
        }
      }
      throw map(dir, null, e);
    }
    return names;
  }

  @Override
  public byte[] read(String path, int max) throws IOException {
    SftpClient c = client(path);
    try (InputStream in = c.read(path)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw new FileSystemException(path, null, "file larger than the " + max + "-byte bound");
      }
      return b;
    } catch (SftpException e) {
      throw map(path, null, e);
    }
  }

  @Override
  public void write(String path, byte[] content, WriteMode mode, boolean sync) throws IOException {
    SftpClient c = client(path);
    EnumSet<SftpClient.OpenMode> modes = switch (mode) {
      case CREATE_NEW -> EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Exclusive);
      case CREATE_OR_TRUNCATE -> EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate);
      case EXISTING -> EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Truncate);
    };
    boolean synced = false;
    try (SftpClient.CloseableHandle h = c.open(path, modes)) {
      for (int off = 0; off < content.length; off += CHUNK) {
        c.write(h, off, content, off, Math.min(CHUNK, content.length - off));
      }
      if (sync) {
        synced = fsync(c, h);
      }
    } catch (SftpException e) {
      if (mode == WriteMode.CREATE_NEW && e.getStatus() == SftpConstants.SSH_FX_FAILURE && exists(path)) {
        throw new FileAlreadyExistsException(path);
      }
      throw map(path, null, e);
    }
    if (sync && !synced) {
      commands.sync(path);
    }
  }

  /** fsync through {@code fsync@openssh.com}; false when the server does not offer it. */
  private static boolean fsync(SftpClient c, SftpClient.Handle h) throws IOException {
    OpenSSHFsyncExtension ext = c.getExtension(OpenSSHFsyncExtension.class);
    if (ext == null || !ext.isSupported()) {
      return false;
    }
    ext.fsync(h);
    return true;
  }

  @Override
  public void sync(String path) throws IOException {
    SftpClient c = client(path);
    boolean synced;
    try (SftpClient.CloseableHandle h = c.open(path, EnumSet.of(SftpClient.OpenMode.Write))) {
      synced = fsync(c, h);
    } catch (SftpException e) {
      throw map(path, null, e);
    }
    if (!synced) {
      commands.sync(path);
    }
  }

  private boolean exists(String path) throws IOException {
    try {
      stat(path, false);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public void createDirectory(String path, Set<PosixFilePermission> permissions) throws IOException {
    SftpClient c = client(path);
    try {
      c.mkdir(path);
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_FAILURE && exists(path)) {
        throw new FileAlreadyExistsException(path);
      }
      throw map(path, null, e);
    }
    if (permissions != null) {
      setPermissions(path, permissions);
    }
  }

  @Override
  public void delete(String path) throws IOException {
    SftpClient c = client(path);
    RemoteAttributes a = stat(path, false);
    try {
      if (a.isDirectory()) {
        c.rmdir(path);
      } else {
        c.remove(path);
      }
    } catch (SftpException e) {
      if (a.isDirectory() && e.getStatus() == SftpConstants.SSH_FX_FAILURE && !list(path).isEmpty()) {
        throw new DirectoryNotEmptyException(path);
      }
      throw map(path, null, e);
    }
  }

  @Override
  public void rename(String from, String to, boolean replace, boolean atomic) throws IOException {
    SftpClient c = client(from);
    try {
      if (!replace) {
        // SFTP v3 rename refuses an existing target: exactly NIO's default.
        if (exists(to)) {
          throw new FileAlreadyExistsException(to);
        }
        c.rename(from, to);
        return;
      }
      OpenSSHPosixRenameExtension posix = c.getExtension(OpenSSHPosixRenameExtension.class);
      if (posix != null && posix.isSupported()) {
        posix.posixRename(from, to);
        return;
      }
      if (c.getVersion() >= SftpConstants.SFTP_V5) {
        c.rename(from, to, SftpClient.CopyMode.Atomic, SftpClient.CopyMode.Overwrite);
        return;
      }
      if (atomic && exists(to)) {
        throw new AtomicMoveNotSupportedException(from, to, "the SFTP server cannot replace a file in one rename");
      }
      if (exists(to)) {
        delete(to);
      }
      c.rename(from, to);
    } catch (SftpException e) {
      throw map(from, to, e);
    }
  }

  @Override
  public void copy(String from, String to, boolean replace, boolean copyAttributes) throws IOException {
    RemoteAttributes a = stat(from, true);
    if (!replace && exists(to)) {
      throw new FileAlreadyExistsException(to);
    }
    byte[] content = read(from, Integer.MAX_VALUE - 8);
    write(to, content, WriteMode.CREATE_OR_TRUNCATE, false);
    if (copyAttributes) {
      setPermissions(to, a.permissions());
      setTimes(to, a.lastModifiedTime(), a.lastAccessTime());
    }
  }

  @Override
  public void setPermissions(String path, Set<PosixFilePermission> permissions) throws IOException {
    SftpClient c = client(path);
    try {
      c.setStat(path, new SftpClient.Attributes().perms(RemoteAttributes.bits(permissions)));
    } catch (SftpException e) {
      throw map(path, null, e);
    }
  }

  @Override
  public void setOwner(String path, String owner, String group) throws IOException {
    commands.setOwner(path, owner, group);
  }

  @Override
  public void setTimes(String path, FileTime lastModified, FileTime lastAccess) throws IOException {
    if (lastModified == null && lastAccess == null) {
      return;
    }
    SftpClient c = client(path);
    RemoteAttributes now = (lastModified == null || lastAccess == null) ? stat(path, true) : null;
    FileTime m = lastModified != null ? lastModified : now.lastModifiedTime();
    FileTime at = lastAccess != null ? lastAccess : now.lastAccessTime();
    try {
      c.setStat(path, new SftpClient.Attributes().modifyTime(m).accessTime(at));
    } catch (SftpException e) {
      throw map(path, null, e);
    }
  }

  /**
   * Through {@code readlink -f}: SFTP's realpath is only required to make a path absolute, and
   * some servers (sshd's own) do not resolve symbolic links with it.
   */
  @Override
  public String realPath(String path) throws IOException {
    return commands.realPath(path);
  }

  @Override
  public void checkAccess(String path, Set<AccessMode> modes) throws IOException {
    stat(path, true);
    if (!modes.isEmpty()) {
      commands.checkAccess(path, modes);
    }
  }

  /** The NIO exception for an SFTP status. */
  static FileSystemException map(String path, String other, SftpException e) {
    String msg = e.getMessage();
    FileSystemException r = switch (e.getStatus()) {
      case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH -> new NoSuchFileException(path, other, msg);
      case SftpConstants.SSH_FX_PERMISSION_DENIED -> new AccessDeniedException(path, other, msg);
      case SftpConstants.SSH_FX_FILE_ALREADY_EXISTS -> new FileAlreadyExistsException(path, other, msg);
      case SftpConstants.SSH_FX_DIR_NOT_EMPTY -> new DirectoryNotEmptyException(path);
      case SftpConstants.SSH_FX_NOT_A_DIRECTORY -> new NotDirectoryException(path);
      default -> new FileSystemException(path, other, "SFTP status " + e.getStatus() + ": " + msg);
    };
    r.initCause(e);
    return r;
  }
}
