package dev.midplane.ssh;

import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A remote file's attributes at the moment they were read: type and permission bits of
 * {@code st_mode}, size, times, owner and group (names where the transport gives them, numeric
 * ids otherwise), and a file key ({@code device:inode}) where the transport gives one.
 */
final class RemoteAttributes implements PosixFileAttributes {
  /** The file type, from the {@code S_IFMT} bits. */
  enum Type {
    REGULAR,
    DIRECTORY,
    SYMLINK,
    OTHER
  }

  private final Type type;
  private final int mode;
  private final long size;
  private final FileTime accessed;
  private final FileTime modified;
  private final FileTime changed;
  private final String owner;
  private final String group;
  private final Object fileKey;

  RemoteAttributes(int mode, long size, FileTime accessed, FileTime modified, FileTime changed, String owner,
      String group, Object fileKey) {
    this.type = typeOf(mode);
    this.mode = mode;
    this.size = size;
    this.accessed = Objects.requireNonNull(accessed);
    this.modified = Objects.requireNonNull(modified);
    this.changed = Objects.requireNonNull(changed);
    this.owner = Objects.requireNonNull(owner);
    this.group = Objects.requireNonNull(group);
    this.fileKey = fileKey;
  }

  static Type typeOf(int mode) {
    return switch (mode & 0170000) {
      case 0100000 -> Type.REGULAR;
      case 0040000 -> Type.DIRECTORY;
      case 0120000 -> Type.SYMLINK;
      default -> Type.OTHER;
    };
  }

  Type type() {
    return type;
  }

  /** The full {@code st_mode}. */
  int mode() {
    return mode;
  }

  @Override
  public FileTime lastModifiedTime() {
    return modified;
  }

  @Override
  public FileTime lastAccessTime() {
    return accessed;
  }

  /** Unix has no creation time; like the JDK on Linux without statx, this is the change time. */
  @Override
  public FileTime creationTime() {
    return changed;
  }

  @Override
  public boolean isRegularFile() {
    return type == Type.REGULAR;
  }

  @Override
  public boolean isDirectory() {
    return type == Type.DIRECTORY;
  }

  @Override
  public boolean isSymbolicLink() {
    return type == Type.SYMLINK;
  }

  @Override
  public boolean isOther() {
    return type == Type.OTHER;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Object fileKey() {
    return fileKey;
  }

  @Override
  public UserPrincipal owner() {
    return new RemotePrincipal.User(owner);
  }

  @Override
  public GroupPrincipal group() {
    return new RemotePrincipal.Group(group);
  }

  @Override
  public Set<PosixFilePermission> permissions() {
    return permissions(mode);
  }

  private static final PosixFilePermission[] BITS = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(BITS[i]);
      }
    }
    return s;
  }

  /** The permission bits ({@code 0644}) of {@code permissions}. */
  static int bits(Set<PosixFilePermission> permissions) {
    int m = 0;
    for (int i = 0; i < BITS.length; i++) {
      if (permissions.contains(BITS[i])) {
        m |= 1 << i;
      }
    }
    return m;
  }

  @Override
  public String toString() {
    return type.name().toLowerCase(java.util.Locale.ROOT) + " " + Integer.toOctalString(mode & 07777) + " " + owner
        + ":" + group + " " + size + " bytes, modified " + modified;
  }
}
