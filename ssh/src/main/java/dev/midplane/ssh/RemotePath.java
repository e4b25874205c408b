package dev.midplane.ssh;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.util.List;
import org.apache.sshd.common.file.util.BasePath;

/**
 * A path on a remote host. Path algebra (resolve, normalize, relativize, globs) is sshd's
 * {@link BasePath}; every file operation goes to the host's {@link RemoteFileSystemProvider}.
 */
final class RemotePath extends BasePath<RemotePath, RemoteFileSystem> {
  RemotePath(RemoteFileSystem fs, String root, List<String> names) {
    super(fs, root, names);
  }

  @Override
  public RemotePath toRealPath(LinkOption... options) throws IOException {
    return getFileSystem().provider().toRealPath(this, options);
  }

  /** {@code midplane-ssh://<host>/<absolute path>}: names the file; not resolvable through {@code Path.of(URI)}. */
  @Override
  public URI toUri() {
    try {
      return new URI(RemoteFileSystemProvider.SCHEME, getFileSystem().hostName(), toAbsolutePath().toString(), null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The absolute remote path string of {@code p}, which must be a path of a remote host. */
  static String remoteString(Path p) {
    if (!(p instanceof RemotePath r)) {
      throw new ProviderMismatchException("not a path of a remote host: " + p + " (" + p.getClass().getName() + ")");
    }
    return r.toAbsolutePath().toString();
  }
}
