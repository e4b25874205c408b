package dev.midplane.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.files.AtomicFiles;
import dev.midplane.core.files.AttributeWriteException;
import dev.midplane.core.files.Errno;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the SDK's modules do with a remote host's files, run against every way of reaching them
 * (SFTP and commands; embedded and real servers). The servers in these tests run on this machine,
 * so each test builds its tree in a local temp directory and reaches it through the remote host at
 * the same absolute path.
 */
abstract class RemoteFilesContract {
  /** The host under test. */
  protected abstract Host host();

  /** {@code "sftp"} or {@code "commands"}: the backend the host must have chosen. */
  protected abstract String expectedBackend();

  /** A fresh local directory for this test, visible to the server at the same path. */
  protected abstract Path scratch();

  private Path local;

  /** The remote path for local path {@code p}. */
  private Path remote(Path p) {
    return host().path(p.toAbsolutePath().toString());
  }

  /**
   * A sysfs-like tree: class links are relative symlinks into devices/, attributes are small
   * files ending in a newline, as on a real kernel.
   */
  @BeforeEach
  void tree() throws IOException {
    local = scratch();
    Path dev = Files.createDirectories(local.resolve("sys/devices/virtual/net/bond0/bonding"));
    Files.writeString(dev.resolve("mode"), "active-backup 1\n");
    Files.writeString(dev.resolve("active_slave"), "eth0\n");
    Files.writeString(dev.getParent().resolve("address"), "52:54:00:12:34:56\n");
    Path eth0 = Files.createDirectories(local.resolve("sys/devices/pci0000:00/0000:00:03.0/net/eth0"));
    Files.writeString(eth0.resolve("carrier"), "1\n");
    Path net = Files.createDirectories(local.resolve("sys/class/net"));
    Files.createSymbolicLink(net.resolve("bond0"), Path.of("../../devices/virtual/net/bond0"));
    Files.createSymbolicLink(net.resolve("eth0"), Path.of("../../devices/pci0000:00/0000:00:03.0/net/eth0"));
    Files.createDirectories(local.resolve("etc"));
  }

  @Test
  void theExpectedBackendServesTheFiles() throws IOException {
    Files.exists(remote(local));
    assertThat(((RemoteFileSystem) host().root().getFileSystem()).backendKind()).isEqualTo(expectedBackend());
  }

  @Test
  void readsAttributesThroughRelativeSymlinks() throws IOException {
    Path mode = remote(local.resolve("sys/class/net/bond0/bonding/mode"));
    assertThat(Files.readString(mode)).isEqualTo("active-backup 1\n");
    assertThat(Files.readAllLines(remote(local.resolve("sys/class/net/eth0/carrier")))).containsExactly("1");
  }

  @Test
  void listsDirectoriesAndTellsLinksFromDirectories() throws IOException {
    Path net = remote(local.resolve("sys/class/net"));
    try (Stream<Path> s = Files.list(net)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("bond0", "eth0");
    }
    Path bond = net.resolve("bond0");
    assertThat(Files.isDirectory(bond)).isTrue();
    assertThat(Files.isSymbolicLink(bond)).isTrue();
    assertThat(Files.isDirectory(bond, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(net.resolve("eth9"))).isFalse();
    assertThat(Files.isRegularFile(bond.resolve("bonding/mode"))).isTrue();
  }

  @Test
  void readsAndResolvesSymlinksLikeTheSysfsModuleDoes() throws IOException {
    Path link = remote(local.resolve("sys/class/net/bond0"));
    Path target = Files.readSymbolicLink(link);
    assertThat(target.toString()).isEqualTo("../../devices/virtual/net/bond0");
    Path resolved = link.getParent().resolve(target).normalize();
    assertThat(resolved.toString()).isEqualTo(local.resolve("sys/devices/virtual/net/bond0").toString());
    assertThat(link.toRealPath().toString()).isEqualTo(local.toRealPath().resolve("sys/devices/virtual/net/bond0").toString());
    assertThatThrownBy(() -> Files.readSymbolicLink(resolved)).isInstanceOf(NotLinkException.class);
  }

  @Test
  void walksATree() throws IOException {
    try (Stream<Path> s = Files.walk(remote(local.resolve("sys/devices")))) {
      List<String> files = s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(files).containsExactly("active_slave", "address", "carrier", "mode");
    }
  }

  @Test
  void attributesAreTheRemoteFilesOwn() throws IOException {
    Path local = this.local.resolve("sys/devices/virtual/net/bond0/address");
    Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rw-r-----"));
    Path f = remote(local);
    assertThat(Files.size(f)).isEqualTo(18);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
    assertThat(Files.getLastModifiedTime(f).toMillis() / 1000)
        .isEqualTo(Files.getLastModifiedTime(local).toMillis() / 1000);
    assertThat(Files.readAttributes(f, "posix:size,permissions")).containsKeys("size", "permissions");
  }

  @Test
  void missingFilesAndWrongTypesFailAsOnALocalFileSystem() {
    Path sys = remote(local.resolve("sys"));
    assertThatThrownBy(() -> Files.readString(sys.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> Files.list(sys.resolve("devices/virtual/net/bond0/address")).close())
        .isInstanceOf(NotDirectoryException.class);
    assertThatThrownBy(() -> Files.list(sys.resolve("nope")).close()).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> Files.delete(sys.resolve("devices"))).isInstanceOf(DirectoryNotEmptyException.class);
    assertThatThrownBy(() -> Files.createDirectory(sys.resolve("devices"))).isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> Files.writeString(sys.resolve("class/net/bond0/bonding/mode"), "x", StandardOpenOption.CREATE_NEW))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void binaryContentSurvivesTheRoundTrip() throws IOException {
    byte[] all = new byte[256 * 4];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    Path f = remote(local.resolve("etc/blob"));
    Files.write(f, all);
    assertThat(Files.readAllBytes(local.resolve("etc/blob"))).isEqualTo(all);
    assertThat(Files.readAllBytes(f)).isEqualTo(all);
  }

  @Test
  void atomicConfigWritesKeepTheOldVersionAndThePermissions() throws IOException {
    Path conf = remote(local.resolve("etc/multipath.conf"));
    AtomicFiles.write(conf, "defaults {\n  user_friendly_names no\n}\n");
    Files.setPosixFilePermissions(local.resolve("etc/multipath.conf"), PosixFilePermissions.fromString("rw-------"));
    AtomicFiles.write(conf, "defaults {\n  user_friendly_names yes\n}\n");
    assertThat(Files.readString(local.resolve("etc/multipath.conf"))).contains("user_friendly_names yes");
    assertThat(Files.readString(local.resolve("etc/multipath.conf.bak"))).contains("user_friendly_names no");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(local.resolve("etc/multipath.conf"))))
        .isEqualTo("rw-------");
    try (Stream<Path> s = Files.list(local.resolve("etc"))) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("multipath.conf", "multipath.conf.bak");
    }
  }

  @Test
  void movesCopiesAndDeletes() throws IOException {
    Path etc = remote(local.resolve("etc"));
    Files.writeString(etc.resolve("a"), "A\n");
    Files.writeString(etc.resolve("b"), "B\n");
    assertThatThrownBy(() -> Files.move(etc.resolve("a"), etc.resolve("b"))).isInstanceOf(FileAlreadyExistsException.class);
    Files.move(etc.resolve("a"), etc.resolve("b"), StandardCopyOption.ATOMIC_MOVE);
    assertThat(Files.readString(local.resolve("etc/b"))).isEqualTo("A\n");
    assertThat(Files.exists(local.resolve("etc/a"))).isFalse();
    Files.setPosixFilePermissions(local.resolve("etc/b"), PosixFilePermissions.fromString("rwx------"));
    Files.copy(etc.resolve("b"), etc.resolve("c"), StandardCopyOption.COPY_ATTRIBUTES);
    assertThat(Files.readString(local.resolve("etc/c"))).isEqualTo("A\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(local.resolve("etc/c")))).isEqualTo("rwx------");
    Files.delete(etc.resolve("c"));
    assertThat(Files.deleteIfExists(etc.resolve("c"))).isFalse();
    Files.createDirectories(etc.resolve("x/y"));
    assertThat(Files.isDirectory(local.resolve("etc/x/y"))).isTrue();
  }

  @Test
  void anAtomicMoveAcrossFileSystemsIsRefusedAndLeavesTheSource() throws IOException {
    // /dev/shm is a tmpfs, the scratch directory is not: no single rename(2) joins them.
    Path shm = Path.of("/dev/shm");
    if (!Files.isDirectory(shm) || Files.getFileStore(shm).equals(Files.getFileStore(local))) {
      throw new org.opentest4j.TestAbortedException("no second file system at /dev/shm");
    }
    Path src = remote(local.resolve("etc/cross"));
    Files.writeString(src, "x");
    Path dst = host().path("/dev/shm/midplane-test-" + local.getFileName());
    try {
      assertThatThrownBy(() -> Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE))
          .isInstanceOf(java.nio.file.FileSystemException.class);
      assertThat(Files.readString(local.resolve("etc/cross"))).isEqualTo("x");
      assertThat(Files.exists(Path.of(dst.toString()))).isFalse();
    } finally {
      Files.deleteIfExists(Path.of(dst.toString()));
    }
  }

  @Test
  void attributeWritesAreOneWriteOfTheExactValue() throws IOException {
    Path primary = Files.createFile(local.resolve("sys/devices/virtual/net/bond0/bonding/primary"));
    host().writeAttribute(primary.toString(), "eth1");
    assertThat(Files.readString(primary)).isEqualTo("eth1");
    // Like the local writer: open without O_TRUNC, as kernel attributes need; a regular file
    // keeps what lies beyond the value.
    Path active = local.resolve("sys/devices/virtual/net/bond0/bonding/active_slave");
    host().writeAttribute(active.toString(), "eth1");
    assertThat(Files.readString(active)).isEqualTo("eth1\n");
  }

  @Test
  void aRealKernelRefusalComesBackWithItsErrno() {
    // The write lands on the writing process's own oom_score_adj: harmless, refused with EINVAL.
    assertThatThrownBy(() -> host().writeAttribute("/proc/self/oom_score_adj", "not-a-number"))
        .isInstanceOf(AttributeWriteException.class)
        .hasMessageContaining("/proc/self/oom_score_adj")
        .satisfies(e -> assertThat(((AttributeWriteException) e).errno()).contains(Errno.EINVAL));
    assertThatThrownBy(() -> host().writeAttribute("/dev/full", "1"))
        .isInstanceOf(AttributeWriteException.class)
        .satisfies(e -> assertThat(((AttributeWriteException) e).errno()).contains(Errno.ENOSPC));
    assertThatThrownBy(() -> host().writeAttribute(local.resolve("sys/nope").toString(), "1"))
        .isInstanceOf(AttributeWriteException.class)
        .satisfies(e -> assertThat(((AttributeWriteException) e).errno()).contains(Errno.ENOENT));
    host().writeAttribute("/proc/self/oom_score_adj", "0");
  }

  @Test
  void readsTheRealKernelsProcAndSysFiles() throws IOException {
    assertThat(Files.readString(host().path("/proc/sys/kernel/ostype"))).isEqualTo("Linux\n");
    // sysfs reports 4096 bytes for every attribute; the content is what counts.
    assertThat(Files.readString(host().path("/sys/class/net/lo/address"))).isEqualTo("00:00:00:00:00:00\n");
    assertThat(Files.isSymbolicLink(host().path("/sys/class/net/lo"))).isTrue();
  }

  @Test
  void aLocalPathIsNotARemoteOne() {
    assertThatThrownBy(() -> host().root().getFileSystem().provider().checkAccess(Path.of("/tmp")))
        .isInstanceOf(ProviderMismatchException.class);
    assertThatThrownBy(() -> host().writeAttribute("relative", "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
