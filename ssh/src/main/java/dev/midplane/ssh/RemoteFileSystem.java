package dev.midplane.ssh;

import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.file.util.BaseFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a remote host as a {@code java.nio} file system, so that code written against
 * {@code Files.*} on {@code host.path(...)} runs unchanged on a remote host. Operations go to a
 * {@link FileBackend}: SFTP where the server has it, commands otherwise ({@link FileAccess}), chosen
 * at the first operation and kept across reconnects. The file system lives as long as the host;
 * the session under it may be re-established in between.
 */
final class RemoteFileSystem extends BaseFileSystem<RemotePath> {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteFileSystem.class);

  private final SshConnection connection;
  private final FileAccess access;
  private final CommandFileBackend commands;
  private final SftpFileBackend sftp;
  private final int maxFileBytes;
  private final Object choosing = new Object();
  private volatile FileBackend chosen;
  private volatile boolean open = true;

  private RemoteFileSystem(RemoteFileSystemProvider provider, SshConnection connection, RemoteExec exec,
      FileAccess access, int maxFileBytes) {
    super(provider);
    this.connection = connection;
    this.access = access;
    this.commands = new CommandFileBackend(exec);
    this.sftp = new SftpFileBackend(connection, commands);
    this.maxFileBytes = maxFileBytes;
  }

  static RemoteFileSystem create(SshConnection connection, RemoteExec exec, FileAccess access, int maxFileBytes) {
    RemoteFileSystemProvider p = new RemoteFileSystemProvider();
    RemoteFileSystem fs = new RemoteFileSystem(p, connection, exec, access, maxFileBytes);
    p.bind(fs);
    return fs;
  }

  RemotePath root() {
    return getPath("/");
  }

  String hostName() {
    return connection.target().hostName().value();
  }

  int maxFileBytes() {
    return maxFileBytes;
  }

  /** The backend, chosen on first use: SFTP when the server offers it (under AUTO), else commands. */
  FileBackend backend() throws IOException {
    if (!open) {
      throw new ClosedFileSystemException();
    }
    FileBackend b = chosen;
    if (b != null) {
      return b;
    }
    synchronized (choosing) {
      if (chosen != null) {
        return chosen;
      }
      try {
        switch (access) {
          case SFTP -> {
            connection.sftp();
            chosen = sftp;
          }
          case COMMANDS -> chosen = commands;
          case AUTO -> {
            try {
              connection.sftp();
              chosen = sftp;
            } catch (IOException e) {
              LOG.info("{} offers no SFTP ({}); its files are reached through commands", connection.describe(), e.toString());
              chosen = commands;
            }
          }
        }
      } catch (SshConnectException e) {
        // The host is unreachable: that says nothing about SFTP, so nothing is decided yet.
        throw FileErrors.transport("/", e);
      }
      return chosen;
    }
  }

  /** Which backend serves this file system: {@code "sftp"}, {@code "commands"}, or empty before the first use. */
  String backendKind() {
    FileBackend b = chosen;
    return b == null ? "" : b.kind();
  }

  @Override
  protected RemotePath create(String root, List<String> names) {
    return new RemotePath(this, root, names);
  }

  @Override
  public RemoteFileSystemProvider provider() {
    return (RemoteFileSystemProvider) super.provider();
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic", "posix", "owner");
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    return new UserPrincipalLookupService() {
      @Override
      public UserPrincipal lookupPrincipalByName(String name) {
        return new RemotePrincipal.User(name);
      }

      @Override
      public GroupPrincipal lookupPrincipalByGroupName(String group) {
        return new RemotePrincipal.Group(group);
      }
    };
  }

  @Override
  public String toString() {
    String kind = backendKind();
    return "files of " + connection.describe() + (kind.isEmpty() ? "" : " over " + kind);
  }
}
