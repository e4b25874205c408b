package dev.midplane.xen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.xen.config.ConfigValue.ListOf;
import dev.midplane.xen.config.ConfigValue.Num;
import dev.midplane.xen.config.ConfigValue.Str;
import dev.midplane.xen.text.ParseFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainConfigTest {
  private String fixture(String name) {
    return Fixtures.text(getClass(), name);
  }

  @Test
  void readsTheRealPvhConfigXlCreated() {
    String text = fixture("xl-pvh-run6.cfg");
    DomainConfig c = DomainConfig.parse(text, Dialect.XL, "domU.cfg");

    assertThat(c.name()).isEqualTo(DomainName.of("domU"));
    assertThat(c.guestType()).contains("pvh");
    assertThat(c.memoryMib()).hasValue(128);
    assertThat(c.vcpus()).hasValue(1);
    assertThat(c.getString("extra")).contains("console=hvc0 loglevel=4");
    assertThat(c.getString("on_crash")).contains("preserve");
    assertThat(c.keys()).containsExactly("name", "type", "kernel", "ramdisk", "extra", "memory", "vcpus", "disk", "vif", "on_crash");
    assertThat(c.entries().get(0).comments()).containsExactly("# tiny PVH domU: Debian bookworm kernel + busybox initramfs");

    DiskSpec disk = c.disks().get(0);
    assertThat(disk.form()).isEqualTo(DiskSpec.Form.KEY_VALUE);
    assertThat(disk.format()).contains("raw");
    assertThat(disk.vdev()).isEqualTo("xvda");
    assertThat(disk.access()).contains(DiskSpec.Access.READ_WRITE);
    assertThat(disk.target()).contains("/root/disk0.img");
    assertThat(c.vifs()).containsExactly(VifSpec.of(MacAddress.of("00:16:3e:00:00:02"), InterfaceName.of("xenbr0")));
    assertThat(c.bridges()).containsExactly(InterfaceName.of("xenbr0"));

    assertThat(c.render()).isEqualTo(text);
  }

  @Test
  void readsBothRealRun7ConfigsAndGivesThemBackByteForByte() {
    for (String name : List.of("xl-pv-run7.cfg", "xl-pvh-run7.cfg")) {
      String text = fixture(name);
      DomainConfig c = DomainConfig.parse(text, Dialect.XL);
      assertThat(c.render()).isEqualTo(text);
      assertThat(c.name().value()).startsWith("domUpv");
      assertThat(c.trailingComments()).containsExactly("");
    }
    assertThat(DomainConfig.parse(fixture("xl-pv-run7.cfg"), Dialect.XL).guestType()).contains("pv");
  }

  @Test
  void changingOneSettingRewritesOnlyThatLine() {
    String text = fixture("xl-pvh-run6.cfg");
    DomainConfig c = DomainConfig.parse(text, Dialect.XL)
        .withMemoryMib(512)
        .withDisks(List.of(DiskSpec.multipath(MultipathAlias.of("domU"), "xvda", DiskSpec.Access.READ_WRITE)));

    String out = c.render();
    assertThat(out).isEqualTo(text
        .replace("memory  = 128\n", "memory = 512\n")
        .replace("disk    = [ 'format=raw, vdev=xvda, access=rw, target=/root/disk0.img' ]\n",
            "disk = [ 'phy:/dev/mapper/domU,xvda,w' ]\n"));
    DomainConfig again = DomainConfig.parse(out, Dialect.XL);
    assertThat(again).isEqualTo(c);
    assertThat(again.disks().get(0).multipathAlias()).contains(MultipathAlias.of("domU"));
  }

  @Test
  void readsAnXlConfigWithMultiLineListsAppendsAndSemicolons() {
    DomainConfig c = DomainConfig.parse(fixture("xl-features.cfg"), Dialect.XL);

    assertThat(c.maxMemoryMib()).hasValue(8192);
    assertThat(c.getLong("max_grant_frames")).hasValue(64);
    assertThat(c.getLong("cpu_weight")).hasValue(512);
    assertThat(c.getString("extra")).contains("console=hvc0 root=/dev/xvda1\tquiet");
    assertThat(c.entries()).filteredOn(e -> e.key().equals("on_crash")).first()
        .satisfies(e -> assertThat(e.trailingComment()).contains("# keep a core for the vendor"));

    List<DiskSpec> disks = c.disks();
    assertThat(disks).hasSize(3);
    assertThat(disks.get(1).extras()).containsExactly("discard");
    assertThat(disks.get(1).multipathAlias()).contains(MultipathAlias.of("db01-data"));
    assertThat(disks.get(2).form()).isEqualTo(DiskSpec.Form.POSITIONAL);
    assertThat(disks.get(2).format()).contains("raw");
    assertThat(disks.get(2).vdev()).isEqualTo("xvdc");

    // vif += extends the list set before it
    assertThat(c.vifs()).hasSize(2);
    assertThat(c.vifs().get(0).vifname()).contains(InterfaceName.of("db01-eth0"));
    assertThat(c.bridges()).containsExactly(InterfaceName.of("xenbr1"), InterfaceName.of("xenbr0"));
    assertThat(c.entries()).filteredOn(e -> e.key().equals("vif")).extracting(DomainConfig.Entry::op)
        .containsExactly(DomainConfig.Op.ASSIGN, DomainConfig.Op.APPEND);

    assertThat(c.render()).isEqualTo(fixture("xl-features.cfg"));
  }

  @Test
  void readsThePlainDataPartOfPythonInXmConfigs() {
    String text = fixture("xm-plain.cfg");
    DomainConfig c = DomainConfig.parse(text, Dialect.XM);

    assertThat(c.name()).isEqualTo(DomainName.of("web01"));
    assertThat(c.memoryMib()).hasValue(512);
    assertThat(c.maxMemoryMib()).hasValue(1024); // quoted number
    assertThat(c.get("acpi")).contains(new ConfigValue.Bool(true));
    assertThat(c.getString("extra")).contains("console=hvc0\n xencons=tty");
    assertThat(c.getString("cpus")).contains("0-3,^1");
    assertThat(c.getString("bootargs")).contains("single quiet");
    assertThat(c.getLong("cpu_weight")).hasValue(256);
    assertThat(c.getLong("shadow_memory")).hasValue(8);
    assertThat(c.getString("on_reboot")).contains("restart");
    assertThat(c.trailingComments()).containsExactly("# end of file");

    List<DiskSpec> disks = c.disks();
    assertThat(disks).extracting(DiskSpec::vdev).containsExactly("xvda", "xvdb", "hdc");
    assertThat(disks.get(0).prefix()).contains("phy");
    assertThat(disks.get(0).access()).contains(DiskSpec.Access.READ_WRITE);
    assertThat(disks.get(2).isCdrom()).isTrue();
    assertThat(disks.get(2).prefixedTarget()).contains("file:/srv/iso/netinst.iso");
    VifSpec vif = c.vifs().get(0);
    assertThat(vif.ips()).containsExactly(Ipv4Address.of("192.0.2.21"), Ipv4Address.of("192.0.2.22"));
    assertThat(vif.vifname()).contains(InterfaceName.of("web01-eth0"));

    assertThat(c.render()).isEqualTo(text);
  }

  @Test
  void reportsEveryLineOfPythonCodeInsteadOfGuessing() {
    assertThatThrownBy(() -> DomainConfig.parse(fixture("xm-python.cfg"), Dialect.XM, "/etc/xen/vm.cfg"))
        .isInstanceOfSatisfying(PythonCodeException.class, e -> {
          assertThat(e.source()).isEqualTo("/etc/xen/vm.cfg");
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.constructs()).extracting(PythonCodeException.Construct::line)
              .containsExactly(1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 14);
          assertThat(e.constructs()).extracting(PythonCodeException.Construct::what).containsExactly(
              "Python 'import' statement",
              "attribute access or method call on 'os'",
              "Python 'if' statement",
              "indented statement (the body of a Python block, or an IndentationError)",
              "Python 'else' statement",
              "indented statement (the body of a Python block, or an IndentationError)",
              "function call int(...)",
              "string formatting with '%'",
              "concatenation or addition with '+'",
              "concatenation or addition with '+'",
              "string formatting with '%'",
              "string formatting with '%'");
          assertThat(e.getMessage()).contains("line 9: string formatting with '%': name = \"VM%d\" % vmid");
        });
  }

  @Test
  void pythonInAnXlConfigIsReportedAsPython() {
    assertThatThrownBy(() -> DomainConfig.parse("name = 'a'\nimport os\nkernel = '/boot/' + k\n", Dialect.XL))
        .isInstanceOfSatisfying(PythonCodeException.class, e -> {
          assertThat(e.constructs()).extracting(PythonCodeException.Construct::line).containsExactly(2, 3);
          assertThat(e.getMessage()).contains("not xl.cfg syntax but Python code");
        });
  }

  @Test
  void malformedConfigsFailAtTheLineAndColumnOfTheProblem() {
    assertError("name = 'vm1'\nmemory = \"512\n", Dialect.XL, 2, 10, "unterminated string");
    assertError("name = 'vm1'\ndisk = [ 'phy:/dev/x,xvda,w',\n  'phy:/dev/y,xvdb,w'\n", Dialect.XL, 2, 8, "'[' is never closed");
    assertError("name 'vm1'\n", Dialect.XL, 1, 6, "expected '=' after 'name'");
    assertError("memory = 512 ]\n", Dialect.XL, 1, 14, "without a matching opening bracket");
    assertError("x = \"a\\qb\"\n", Dialect.XL, 1, 7, "invalid escape");
    assertError("name = vm1\n", Dialect.XL, 1, 8, "unquoted word 'vm1'");
    assertError("maxvcpus = -1\n", Dialect.XL, 1, 12, "no sign");
    assertError("memory = 1.5\n", Dialect.XL, 1, 10, "invalid number");
    assertError("disk = [ 'a' 'b' ]\n", Dialect.XL, 1, 14, "expected ',' or ']'");
    assertError("vif = [ 'a', ) ]\n", Dialect.XL, 1, 14, "closes the '[' opened on line 1");
    assertError("memory =\n512\n", Dialect.XL, 1, 8, "no value after '='");
    assertError("extra = '''abc\n", Dialect.XM, 1, 9, "unterminated string");
    assertError("x = '\\x4'\n", Dialect.XM, 1, 6, "invalid escape");
    assertError("memory = 512\nvcpus += 1\n", Dialect.XL, 2, 10, "'+=' needs a list or a string");
  }

  private static void assertError(String text, Dialect d, int line, int column, String problem) {
    assertThatThrownBy(() -> DomainConfig.parse(text, d, "t.cfg"))
        .isInstanceOfSatisfying(ParseFailedException.class, e -> {
          assertThat(e).isNotInstanceOf(PythonCodeException.class);
          assertThat(e.problem()).contains(problem);
          assertThat(e.line()).as("line of: " + e.getMessage()).isEqualTo(line);
          assertThat(e.column()).as("column of: " + e.getMessage()).isEqualTo(column);
          assertThat(e.getMessage()).startsWith("t.cfg, line " + line);
        });
  }

  @Test
  void typedAccessorsNameTheLineOfABadValue() {
    DomainConfig c = DomainConfig.parse("name = 'vm 1'\nmemory = 'lots'\ndisk = [ 'phy:/dev/x' ]\nvif = [ 'bridge=br;x' ]\n",
        Dialect.XL, "vm.cfg");
    assertThatThrownBy(c::name).isInstanceOf(ParseFailedException.class).hasMessageContaining("vm.cfg, line 1")
        .hasMessageContaining("Xen domain name");
    assertThatThrownBy(c::memoryMib).isInstanceOf(ParseFailedException.class).hasMessageContaining("line 2")
        .hasMessageContaining("whole number");
    assertThatThrownBy(c::disks).isInstanceOf(ParseFailedException.class).hasMessageContaining("line 3")
        .hasMessageContaining("no vdev");
    assertThatThrownBy(c::vifs).isInstanceOf(ParseFailedException.class).hasMessageContaining("line 4")
        .hasMessageContaining("interface name");
    assertThatThrownBy(() -> DomainConfig.parse("memory = 1\n", Dialect.XL).name())
        .isInstanceOf(ParseFailedException.class).hasMessageContaining("no 'name' setting");
  }

  @Test
  void theLastAssignmentWinsAndWithReplacesInPlace() {
    DomainConfig c = DomainConfig.parse("# mem\nmemory = 256\nname = 'a'\nmemory = 512 # later\n", Dialect.XL);
    assertThat(c.memoryMib()).hasValue(512);

    DomainConfig changed = c.with("memory", new Num("1024"));
    assertThat(changed.render()).isEqualTo("# mem\nmemory = 1024\nname = 'a'\n");
    assertThat(changed.without("memory").render()).isEqualTo("name = 'a'\n");
    assertThat(changed.with("vcpus", new Num("2")).render()).isEqualTo("# mem\nmemory = 1024\nname = 'a'\nvcpus = 2\n");
  }

  @Test
  void aFileWithoutAFinalNewlineStaysValidWhenSettingsAreAdded() {
    DomainConfig c = DomainConfig.parse("name = 'a'", Dialect.XL).withVcpus(2);
    assertThat(c.render()).isEqualTo("name = 'a'\nvcpus = 2\n");
    assertThat(DomainConfig.parse(c.render(), Dialect.XL)).isEqualTo(c);
  }

  @Test
  void convertsBetweenDialects() {
    DomainConfig xm = DomainConfig.parse(fixture("xm-plain.cfg"), Dialect.XM);
    DomainConfig xl = xm.toDialect(Dialect.XL);

    assertThat(xl.get("acpi")).contains(new Num("1"));
    assertThat(xl.getString("extra")).contains("console=hvc0\n xencons=tty");
    String text = xl.render();
    assertThat(text).contains("extra = \"console=hvc0\\n xencons=tty\"\n").contains("acpi = 1\n");
    assertThat(DomainConfig.parse(text, Dialect.XL)).isEqualTo(xl);
    assertThat(xl.disks()).isEqualTo(xm.disks());

    DomainConfig back = DomainConfig.parse(fixture("xl-features.cfg"), Dialect.XL).toDialect(Dialect.XM);
    assertThat(back.entries()).extracting(DomainConfig.Entry::key).containsOnlyOnce("vif");
    assertThat(back.vifs()).hasSize(2);
    assertThat(DomainConfig.parse(back.render(), Dialect.XM)).isEqualTo(back);
  }

  @Test
  void buildsAConfigInCodeAndWritesItAtomically(@TempDir Path dir) throws Exception {
    DomainConfig c = DomainConfig.empty(Dialect.XL)
        .withName(DomainName.of("vm1"))
        .withMemoryMib(1024)
        .withVcpus(2)
        .withDisks(List.of(DiskSpec.multipath(MultipathAlias.of("vm1"), "xvda", DiskSpec.Access.READ_WRITE)))
        .withVifs(List.of(VifSpec.of(MacAddress.of("00:16:3e:00:01:02"), InterfaceName.of("xenbr1"))))
        .plus(DomainConfig.Entry.of("on_crash", DomainConfig.Op.ASSIGN, new Str("restart"), List.of("", "# policy"),
            java.util.Optional.of("# restart")));

    assertThat(c.render()).isEqualTo("""
        name = "vm1"
        memory = 1024
        vcpus = 2
        disk = [ 'phy:/dev/mapper/vm1,xvda,w' ]
        vif = [ 'mac=00:16:3e:00:01:02, bridge=xenbr1' ]

        # policy
        on_crash = "restart"  # restart
        """);
    Path file = dir.resolve("vm1.cfg");
    c.write(file);
    assertThat(DomainConfig.read(file, Dialect.XL)).isEqualTo(c);
    c.withMemoryMib(2048).write(file);
    assertThat(Files.readString(dir.resolve("vm1.cfg.bak"))).contains("memory = 1024");
  }

  @Test
  void longListsGoOneItemPerLine() {
    List<String> disks = List.of("phy:/dev/mapper/vm-with-a-long-name,xvda,w", "phy:/dev/mapper/vm-with-a-long-name-data,xvdb,w",
        "phy:/dev/mapper/vm-with-a-long-name-logs,xvdc,w");
    DomainConfig c = DomainConfig.empty(Dialect.XL).with("disk", new ListOf(disks.stream().map(s -> (ConfigValue) new Str(s)).toList()));
    assertThat(c.render()).isEqualTo("""
        disk = [
            'phy:/dev/mapper/vm-with-a-long-name,xvda,w',
            'phy:/dev/mapper/vm-with-a-long-name-data,xvdb,w',
            'phy:/dev/mapper/vm-with-a-long-name-logs,xvdc,w'
        ]
        """);
  }

  @Test
  void refusesValuesAndNamesThatCannotBeWritten() {
    assertThatThrownBy(() -> new Str("a\0b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DomainConfig.Entry.of("import", new Num("1"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DomainConfig.Entry.of("a-b", new Num("1"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DomainConfig.Entry.of("a", DomainConfig.Op.ASSIGN, new Num("1"), List.of("not a comment"),
        java.util.Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DomainConfig.of(Dialect.XM, List.of(DomainConfig.Entry.of("a", DomainConfig.Op.APPEND,
        new ListOf(List.of()), List.of(), java.util.Optional.empty())))).isInstanceOf(IllegalArgumentException.class);
  }
}
