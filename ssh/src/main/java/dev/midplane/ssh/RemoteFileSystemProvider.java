package dev.midplane.ssh;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The {@code java.nio} provider behind a remote host's paths: one per host, bound to its
 * {@link RemoteFileSystem}. Not installed for {@code Path.of(URI)}: remote paths come from
 * {@code host.path(...)}.
 *
 * <p>Supported: reading and writing files ({@link WholeFileChannel}), directory streams (with
 * globs), {@code createDirectory}, {@code delete}, {@code move} (one {@code rename(2)}, so
 * {@code ATOMIC_MOVE} holds on one file system), {@code copy} of files, symbolic link reading and
 * resolution ({@code toRealPath}), the basic, posix and owner attribute views, access checks.
 * Not supported: creating links, file stores, watch services, memory mapping and locks.
 */
final class RemoteFileSystemProvider extends java.nio.file.spi.FileSystemProvider {
  static final String SCHEME = "midplane-ssh";
  private RemoteFileSystem fs;

  void bind(RemoteFileSystem fileSystem) {
    this.fs = fileSystem;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException("remote file systems come with a host: SshTarget.connect()");
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    throw new FileSystemNotFoundException("remote file systems are reached through host.path(...), not URIs: " + uri);
  }

  @Override
  public Path getPath(URI uri) {
    throw new FileSystemNotFoundException("remote paths come from host.path(...), not URIs: " + uri);
  }

  private String remote(Path p) {
    if (!(p instanceof RemotePath r) || r.getFileSystem() != fs) {
      throw new ProviderMismatchException("not a path of " + fs + ": " + p);
    }
    return r.toAbsolutePath().toString();
  }

  private FileBackend backend() throws IOException {
    return fs.backend();
  }

  private static boolean follow(LinkOption... options) {
    return !Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS);
  }

  static Set<PosixFilePermission> permissionsOf(FileAttribute<?>... attrs) {
    Set<PosixFilePermission> perms = null;
    for (FileAttribute<?> a : attrs) {
      if (a.name().equals("posix:permissions") || a.name().equals("unix:permissions")) {
        perms = EnumSet.noneOf(PosixFilePermission.class);
        for (Object o : (Set<?>) a.value()) {
          perms.add((PosixFilePermission) o);
        }
      } else {
        throw new UnsupportedOperationException("file attribute " + a.name() + " cannot be set at creation");
      }
    }
    return perms;
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    return newFileChannel(path, options, attrs);
  }

  @Override
  public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    String p = remote(path);
    FileBackend b = backend();
    if (options.contains(LinkOption.NOFOLLOW_LINKS)) {
      try {
        if (b.stat(p, false).isSymbolicLink()) {
          throw new java.nio.file.FileSystemException(p, null, "Too many levels of symbolic links (NOFOLLOW_LINKS)");
        }
      } catch (NoSuchFileException e) {
        // created below if CREATE says so
      }
    }
    return WholeFileChannel.open(b, p, options, permissionsOf(attrs), fs.maxFileBytes());
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    List<String> names = backend().list(remote(dir));
    return new DirectoryStream<>() {
      private boolean open = true;
      private boolean iterated;

      @Override
      public Iterator<Path> iterator() {
        if (!open) {
          throw new IllegalStateException("directory stream closed");
        }
        if (iterated) {
          throw new IllegalStateException("iterator already obtained");
        }
        iterated = true;
        List<Path> out = new ArrayList<>();
        for (String n : names) {
          Path p = dir.resolve(n);
          try {
            if (filter == null || filter.accept(p)) {
              out.add(p);
            }
          } catch (IOException e) {
            throw new java.nio.file.DirectoryIteratorException(e);
          }
        }
        Iterator<Path> it = out.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return open && it.hasNext();
          }

          @Override
          public Path next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return it.next();
          }
        };
      }

      @Override
      public void close() {
        open = false;
      }
    };
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    backend().createDirectory(remote(dir), permissionsOf(attrs));
  }

  @Override
  public void delete(Path path) throws IOException {
    backend().delete(remote(path));
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    List<CopyOption> o = Arrays.asList(options);
    String from = remote(source);
    String to = remote(target);
    boolean replace = o.contains(StandardCopyOption.REPLACE_EXISTING);
    FileBackend b = backend();
    RemoteAttributes a = b.stat(from, !o.contains(LinkOption.NOFOLLOW_LINKS));
    if (a.isSymbolicLink()) {
      throw new UnsupportedOperationException("copying a symbolic link itself is not supported: " + from);
    }
    if (a.isDirectory()) {
      // NIO copies a directory as an empty one.
      if (exists(b, to)) {
        if (!replace) {
          throw new FileAlreadyExistsException(to);
        }
        b.delete(to);
      }
      b.createDirectory(to, o.contains(StandardCopyOption.COPY_ATTRIBUTES) ? a.permissions() : null);
      return;
    }
    b.copy(from, to, replace, o.contains(StandardCopyOption.COPY_ATTRIBUTES));
  }

  private static boolean exists(FileBackend b, String path) throws IOException {
    try {
      b.stat(path, false);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    List<CopyOption> o = Arrays.asList(options);
    boolean atomic = o.contains(StandardCopyOption.ATOMIC_MOVE);
    // As on Linux, an atomic move replaces an existing target.
    boolean replace = atomic || o.contains(StandardCopyOption.REPLACE_EXISTING);
    backend().rename(remote(source), remote(target), replace, atomic);
  }

  @Override
  public boolean isSameFile(Path a, Path b) throws IOException {
    if (a.equals(b)) {
      return true;
    }
    if (!(b instanceof RemotePath) || b.getFileSystem() != fs) {
      return false;
    }
    FileBackend be = backend();
    RemoteAttributes x = be.stat(remote(a), true);
    RemoteAttributes y = be.stat(remote(b), true);
    if (x.fileKey() != null && y.fileKey() != null) {
      return x.fileKey().equals(y.fileKey());
    }
    return be.realPath(remote(a)).equals(be.realPath(remote(b)));
  }

  @Override
  public boolean isHidden(Path path) {
    Path n = path.getFileName();
    return n != null && n.toString().startsWith(".");
  }

  @Override
  public FileStore getFileStore(Path path) {
    throw new UnsupportedOperationException("file stores of remote hosts are not supported");
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    backend().checkAccess(remote(path), modes.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(modes)));
  }

  RemotePath toRealPath(RemotePath path, LinkOption... options) throws IOException {
    String p = remote(path);
    if (follow(options)) {
      return fs.getPath(backend().realPath(p));
    }
    RemotePath n = path.toAbsolutePath().normalize();
    backend().stat(remote(n), false);
    return n;
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    return fs.getPath(backend().readLink(remote(link)));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
    if (type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
        || type == FileOwnerAttributeView.class) {
      return (V) new View(remote(path), follow(options));
    }
    return null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
      throws IOException {
    if (type != BasicFileAttributes.class && type != PosixFileAttributes.class) {
      throw new UnsupportedOperationException("attributes " + type.getName() + " are not supported");
    }
    return (A) backend().stat(remote(path), follow(options));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    int colon = attributes.indexOf(':');
    String view = colon < 0 ? "basic" : attributes.substring(0, colon);
    String names = colon < 0 ? attributes : attributes.substring(colon + 1);
    if (!fs.supportedFileAttributeViews().contains(view)) {
      throw new UnsupportedOperationException("attribute view " + view + " is not supported");
    }
    RemoteAttributes a = backend().stat(remote(path), follow(options));
    Map<String, Object> all = new LinkedHashMap<>();
    if (!view.equals("owner")) {
      all.put("lastModifiedTime", a.lastModifiedTime());
      all.put("lastAccessTime", a.lastAccessTime());
      all.put("creationTime", a.creationTime());
      all.put("size", a.size());
      all.put("isRegularFile", a.isRegularFile());
      all.put("isDirectory", a.isDirectory());
      all.put("isSymbolicLink", a.isSymbolicLink());
      all.put("isOther", a.isOther());
      all.put("fileKey", a.fileKey());
    }
    if (!view.equals("basic")) {
      all.put("owner", a.owner());
    }
    if (view.equals("posix")) {
      all.put("permissions", a.permissions());
      all.put("group", a.group());
    }
    if (names.equals("*")) {
      return all;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String n : names.split(",")) {
      if (n.equals("*")) {
        out.putAll(all);
      } else if (all.containsKey(n)) {
        out.put(n, all.get(n));
      } else {
        throw new IllegalArgumentException("unknown attribute " + view + ":" + n);
      }
    }
    return out;
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
    int colon = attribute.indexOf(':');
    String view = colon < 0 ? "basic" : attribute.substring(0, colon);
    String name = colon < 0 ? attribute : attribute.substring(colon + 1);
    View v = new View(remote(path), follow(options));
    switch (view + ":" + name) {
      case "basic:lastModifiedTime", "posix:lastModifiedTime" -> v.setTimes((FileTime) value, null, null);
      case "basic:lastAccessTime", "posix:lastAccessTime" -> v.setTimes(null, (FileTime) value, null);
      case "posix:permissions" -> {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (Object o : (Set<?>) value) {
          perms.add((PosixFilePermission) o);
        }
        v.setPermissions(perms);
      }
      case "posix:owner", "owner:owner" -> v.setOwner((UserPrincipal) value);
      case "posix:group" -> v.setGroup((GroupPrincipal) value);
      default -> throw new UnsupportedOperationException("attribute " + attribute + " cannot be set");
    }
  }

  /** The basic, posix and owner views of one remote file. */
  private final class View implements PosixFileAttributeView {
    private final String path;
    private final boolean follow;

    View(String path, boolean follow) {
      this.path = path;
      this.follow = follow;
    }

    @Override
    public String name() {
      return "posix";
    }

    @Override
    public PosixFileAttributes readAttributes() throws IOException {
      return backend().stat(path, follow);
    }

    @Override
    public void setTimes(FileTime lastModified, FileTime lastAccess, FileTime created) throws IOException {
      backend().setTimes(path, lastModified, lastAccess);
    }

    @Override
    public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
      backend().setPermissions(path, perms);
    }

    @Override
    public UserPrincipal getOwner() throws IOException {
      return readAttributes().owner();
    }

    @Override
    public void setOwner(UserPrincipal owner) throws IOException {
      backend().setOwner(path, owner.getName(), null);
    }

    @Override
    public void setGroup(GroupPrincipal group) throws IOException {
      backend().setOwner(path, null, group.getName());
    }
  }
}
