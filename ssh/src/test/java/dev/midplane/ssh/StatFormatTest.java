package dev.midplane.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.testkit.Fixtures;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.AlphaChars;
import org.junit.jupiter.api.Test;

class StatFormatTest {
  private static void checkCapture(List<RemoteAttributes> a) {
    assertThat(a).hasSize(5);
    RemoteAttributes file = a.get(0);
    assertThat(file.isRegularFile()).isTrue();
    assertThat(PosixFilePermissions.toString(file.permissions())).isEqualTo("rw-r--r--");
    assertThat(file.size()).isZero();
    assertThat(file.lastModifiedTime().toMillis()).isEqualTo(1795643647000L);
    assertThat(file.owner().getName()).isEqualTo("root");
    assertThat(file.fileKey()).isEqualTo("65024:2146743");
    assertThat(a.get(1).isDirectory()).isTrue();
    assertThat(a.get(1).size()).isEqualTo(4096);
    assertThat(a.get(2).isSymbolicLink()).isTrue();
    assertThat(PosixFilePermissions.toString(a.get(2).permissions())).isEqualTo("rwxrwxrwx");
    assertThat(a.get(3).isOther()).as("/dev/null is a character device").isTrue();
    // A sysfs attribute: 4096 bytes by stat, whatever its content.
    RemoteAttributes sysfs = a.get(4);
    assertThat(sysfs.isRegularFile()).isTrue();
    assertThat(sysfs.size()).isEqualTo(4096);
    assertThat(PosixFilePermissions.toString(sysfs.permissions())).isEqualTo("r--r--r--");
  }

  @Test
  void parsesGnuCoreutilsOutput() {
    checkCapture(StatFormat.parse(Fixtures.text(getClass(), "stat-gnu-coreutils.txt")));
  }

  @Test
  void parsesBusyboxOutput() {
    checkCapture(StatFormat.parse(Fixtures.text(getClass(), "stat-busybox.txt")));
  }

  @Test
  void badLinesFailWithTheirNumber() {
    String good = "81a4 0 1 2 3 0 0 65024 2146743 root root\n";
    assertThatThrownBy(() -> StatFormat.parse(good + "81a4 0 1 2 3 0 0 65024 root root\n"))
        .isInstanceOf(MidplaneException.class).hasMessageContaining("line 2").hasMessageContaining("fields");
    assertThatThrownBy(() -> StatFormat.parse(good + good + "zz 0 1 2 3 0 0 65024 2146743 root root"))
        .isInstanceOf(MidplaneException.class).hasMessageContaining("line 3").hasMessageContaining("not a number");
    assertThatThrownBy(() -> StatFormat.parse("")).isInstanceOf(MidplaneException.class).hasMessageContaining("line 1");
    assertThatThrownBy(() -> StatFormat.parse("81a4 -5 1 2 3 0 0 65024 2146743 root root"))
        .isInstanceOf(MidplaneException.class).hasMessageContaining("out of range");
  }

  @Test
  void unknownOwnersBecomeTheirIds() {
    RemoteAttributes a = StatFormat.parseLine("81a4 0 1 2 3 1234 5678 1 2 UNKNOWN UNKNOWN", 1);
    assertThat(a.owner().getName()).isEqualTo("1234");
    assertThat(a.group().getName()).isEqualTo("5678");
  }

  @Property
  void whatStatPrintsIsWhatIsParsed(@ForAll @IntRange(min = 0, max = 07777) int perms,
      @ForAll("types") int type, @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long size,
      @ForAll @LongRange(min = 0, max = 4_000_000_000L) long mtime, @ForAll @IntRange(min = 0, max = 65535) int uid,
      @ForAll @AlphaChars @StringLength(min = 1, max = 16) String owner) {
    int mode = type | perms;
    String line = Integer.toHexString(mode) + " " + size + " " + mtime + " " + mtime + " " + mtime + " " + uid + " "
        + uid + " 2049 " + (size + 1) + " " + owner + " " + owner;
    RemoteAttributes a = StatFormat.parseLine(line, 1);
    assertThat(a.mode()).isEqualTo(mode);
    assertThat(a.size()).isEqualTo(size);
    assertThat(a.lastModifiedTime().toMillis()).isEqualTo(mtime * 1000);
    assertThat(RemoteAttributes.bits(a.permissions())).isEqualTo(perms & 0777);
    assertThat(a.isDirectory()).isEqualTo(type == 0040000);
    assertThat(a.isSymbolicLink()).isEqualTo(type == 0120000);
    assertThat(a.owner().getName()).isEqualTo(owner.equals("UNKNOWN") ? Integer.toString(uid) : owner);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Integer> types() {
    return net.jqwik.api.Arbitraries.of(0100000, 0040000, 0120000, 0020000, 0060000, 0010000, 0140000);
  }
}
