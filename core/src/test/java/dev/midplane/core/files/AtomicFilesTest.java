package dev.midplane.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.MidplaneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writesAndKeepsThePreviousVersion() throws IOException {
    Path f = dir.resolve("multipath.conf");
    AtomicFiles.write(f, "one\n");
    assertThat(f).hasContent("one");
    assertThat(dir.resolve("multipath.conf.bak")).doesNotExist();
    AtomicFiles.write(f, "two\n");
    assertThat(f).hasContent("two");
    assertThat(dir.resolve("multipath.conf.bak")).hasContent("one");
    assertThat(hiddenTemps()).isEmpty();
  }

  @Test
  void keepsPermissionsOfTheExistingFile() throws IOException {
    Path f = dir.resolve("secret.conf");
    Files.writeString(f, "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    AtomicFiles.write(f, "new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
  }

  @Test
  void aGivenModeAppliesToNewAndReplacedFiles() throws IOException {
    Path f = dir.resolve("bond0.nmconnection");
    AtomicFiles.write(f, "secret".getBytes(), AtomicFiles.SIBLING, PosixFilePermissions.fromString("rw-------"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    AtomicFiles.write(f, "secret2".getBytes(), AtomicFiles.SIBLING, PosixFilePermissions.fromString("rw-------"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
  }

  @Test
  void backupCanLiveInAnotherDirectory() throws IOException {
    Path auto = dir.resolve("auto");
    Path backups = dir.resolve("backups");
    Path f = auto.resolve("vm1");
    AtomicFiles.write(f, "a", AtomicFiles.NO_BACKUP);
    AtomicFiles.write(f, "b", new AtomicFiles.Backup.InDirectory(backups));
    assertThat(backups.resolve("vm1.bak")).hasContent("a");
    try (Stream<Path> s = Files.list(auto)) {
      assertThat(s).containsExactly(f);
    }
  }

  /** A crash injected at each stage leaves the old content (before the rename) or the new (after). */
  @ParameterizedTest
  @EnumSource(AtomicFiles.Stage.class)
  void aFaultAtAnyStageLeavesOldOrNewNeverPartial(AtomicFiles.Stage failAt) throws IOException {
    Path f = dir.resolve("ifcfg-bond0");
    AtomicFiles.write(f, "DEVICE=bond0\nOLD=1\n");
    String next = "DEVICE=bond0\nNEW=1\n".repeat(1000);
    assertThatThrownBy(() -> AtomicFiles.write(f, next.getBytes(), AtomicFiles.SIBLING, stage -> {
      if (stage == failAt) {
        throw new IOException("injected crash at " + stage);
      }
    })).isInstanceOf(MidplaneException.class).hasMessageContaining("injected crash at " + failAt);
    String now = Files.readString(f);
    if (failAt.compareTo(AtomicFiles.Stage.RENAMED) < 0) {
      assertThat(now).as("before the rename the old file stays").isEqualTo("DEVICE=bond0\nOLD=1\n");
    } else {
      assertThat(now).as("after the rename the new file is whole").isEqualTo(next);
    }
    assertThat(hiddenTemps()).as("no temporary file is left behind").isEmpty();
    AtomicFiles.write(f, "after\n");
    assertThat(f).hasContent("after");
  }

  @Test
  void aCrashThatLeftATempFileIsCleanedUpByTheNextWrite() throws IOException {
    Path f = dir.resolve("x.conf");
    Files.writeString(dir.resolve(".x.conf.tmp-dead"), "partial");
    AtomicFiles.write(f, "whole");
    assertThat(hiddenTemps()).isEmpty();
    assertThat(f).hasContent("whole");
  }

  private java.util.List<Path> hiddenTemps() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
    }
  }
}
