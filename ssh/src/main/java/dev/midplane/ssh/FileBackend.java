package dev.midplane.ssh;

import java.io.IOException;
import java.nio.file.AccessMode;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * The remote file operations the {@link RemoteFileSystem} is built on, one round trip each where
 * the transport allows. Paths are absolute remote path strings. Failures are the NIO exceptions a
 * local file system throws ({@code NoSuchFileException}, {@code FileAlreadyExistsException},
 * {@code DirectoryNotEmptyException}, {@code NotDirectoryException}, {@code AccessDeniedException},
 * {@code AtomicMoveNotSupportedException}), else a {@code FileSystemException} with the server's
 * words.
 */
interface FileBackend {
  /** How a write treats an existing file. */
  enum WriteMode {
    /** Fails with {@code FileAlreadyExistsException} when the file exists. */
    CREATE_NEW,
    /** Creates the file or truncates it. */
    CREATE_OR_TRUNCATE,
    /** Truncates an existing file; {@code NoSuchFileException} when there is none. */
    EXISTING
  }

  /** {@code "sftp"} or {@code "commands"}. */
  String kind();

  RemoteAttributes stat(String path, boolean followLinks) throws IOException;

  /** The target of symbolic link {@code path}, as stored (often relative). */
  String readLink(String path) throws IOException;

  /** The names in directory {@code dir}, without {@code .} and {@code ..}, in directory order. */
  List<String> list(String dir) throws IOException;

  /** The whole content; an {@code IOException} when it exceeds {@code max} bytes. */
  byte[] read(String path, int max) throws IOException;

  /** Replaces the content with {@code content}; with {@code sync}, fsyncs it before returning. */
  void write(String path, byte[] content, WriteMode mode, boolean sync) throws IOException;

  /** fsyncs an existing file. */
  void sync(String path) throws IOException;

  /** {@code permissions} may be {@code null} for the server's default. */
  void createDirectory(String path, Set<PosixFilePermission> permissions) throws IOException;

  /** Removes a file, a symbolic link or an empty directory. */
  void delete(String path) throws IOException;

  /**
   * Renames {@code from} to {@code to}. With {@code replace}, an existing {@code to} (file, link or
   * empty directory) is replaced; with {@code atomic}, only a single {@code rename(2)} is acceptable.
   */
  void rename(String from, String to, boolean replace, boolean atomic) throws IOException;

  /** Copies a regular file (following links); with {@code copyAttributes}, its mode and times too. */
  void copy(String from, String to, boolean replace, boolean copyAttributes) throws IOException;

  void setPermissions(String path, Set<PosixFilePermission> permissions) throws IOException;

  /** Either may be {@code null} to leave it. */
  void setOwner(String path, String owner, String group) throws IOException;

  /** Either may be {@code null} to leave it. */
  void setTimes(String path, FileTime lastModified, FileTime lastAccess) throws IOException;

  /** The absolute path with every symbolic link resolved; the file must exist. */
  String realPath(String path) throws IOException;

  /** Throws when the file is missing or the session's user lacks one of {@code modes}. */
  void checkAccess(String path, Set<AccessMode> modes) throws IOException;
}
