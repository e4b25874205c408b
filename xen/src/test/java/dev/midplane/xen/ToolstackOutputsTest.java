package dev.midplane.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.xen.MigrationEvent.Stage;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import dev.midplane.xen.sxp.XendConfig;
import dev.midplane.xen.text.ParseFailedException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolstackOutputsTest {
  static String fixture(String name) {
    return Fixtures.text(ToolstackOutputsTest.class, name);
  }

  // ------------------------------------------------------------------ list

  @Test
  void readsTheRealXlList() {
    List<DomainInfo> l = ToolstackOutputs.parseList(fixture("xl-list-running.txt"), "t");
    assertThat(l).hasSize(2);
    DomainInfo dom0 = l.get(0);
    assertThat(dom0.rawName()).isEqualTo("Domain-0");
    assertThat(dom0.isDomain0()).isTrue();
    assertThat(dom0.memoryMib()).isEqualTo(1024);
    assertThat(dom0.vcpus()).isEqualTo(2);
    assertThat(dom0.state()).containsExactly(DomainState.RUNNING);
    assertThat(dom0.cpuSeconds()).isEqualTo(126.5);
    DomainInfo domU = l.get(1);
    assertThat(domU.name()).contains(DomainName.of("domU"));
    assertThat(domU.id()).hasValue(1);
    assertThat(domU.memoryMib()).isEqualTo(128);

    assertThat(ToolstackOutputs.parseList(fixture("xl-list-restored.txt"), "t").get(1).state()).isEmpty();
    assertThat(ToolstackOutputs.parseList(fixture("xl-list-pv.txt"), "t").get(1).state()).containsExactly(DomainState.BLOCKED);
  }

  @Test
  void rendersXlListByteForByte() {
    for (String f : List.of("xl-list-boot.txt", "xl-list-running.txt", "xl-list-restored.txt")) {
      String text = fixture(f);
      assertThat(ToolstackOutputs.renderList(ToolstackOutputs.parseList(text, f))).isEqualTo(text);
    }
  }

  @Test
  void readsDyingDomainsAndTheXmHeaders() {
    List<DomainInfo> dying = ToolstackOutputs.parseList(fixture("xl-list-dying.txt"), "t");
    assertThat(dying.get(1).rawName()).isEqualTo("(null)");
    assertThat(dying.get(1).name()).isEmpty();
    assertThat(dying.get(1).isDying()).isTrue();
    assertThat(dying.get(1).state()).containsExactlyInAnyOrder(DomainState.PAUSED, DomainState.SHUTDOWN, DomainState.DYING);

    List<DomainInfo> xm = ToolstackOutputs.parseList(fixture("xm-list.txt"), "t");
    assertThat(xm).extracting(DomainInfo::rawName).containsExactly("Domain-0", "db01", "web01");
    assertThat(xm.get(1).id()).isEmpty();
    assertThat(xm.get(1).memoryMib()).isEqualTo(2048);
    assertThat(xm.get(2).id()).hasValue(3);

    List<DomainInfo> old = ToolstackOutputs.parseList(fixture("xm-list-3.0.txt"), "t");
    assertThat(old.get(1).cpuSeconds()).isEqualTo(311.9);
    assertThat(old.get(1).memoryMib()).isEqualTo(256);
  }

  @Test
  void refusesListsItCannotReadWhole() {
    String text = fixture("xl-list-running.txt");
    assertListError(text.substring(0, text.length() - 3), 3, "ends in the middle of a line");
    assertListError(text.replace("r-----      31.5", "r--x--      31.5"), 3, "position 4");
    assertListError(text.replace("   128", ""), 3, "expected 6 columns");
    assertListError("NAME ID\n", 1, "not a domain list header");
    assertListError(text.replace("31.5", "31,5"), 3, "not seconds");
    assertThatThrownBy(() -> ToolstackOutputs.parseList(text.substring(0, text.indexOf('\n') + 1), "t"))
        .isInstanceOf(ParseFailedException.class).hasMessageContaining("without domain rows");
    assertThatThrownBy(() -> ToolstackOutputs.parseList("", "t")).hasMessageContaining("empty output");
  }

  private static void assertListError(String text, int line, String problem) {
    assertThatThrownBy(() -> ToolstackOutputs.parseList(text, "`xl list` output"))
        .isInstanceOfSatisfying(ParseFailedException.class, e -> {
          assertThat(e.line()).isEqualTo(line);
          assertThat(e.problem()).contains(problem);
          assertThat(e.getMessage()).startsWith("`xl list` output, line " + line);
        });
  }

  // ------------------------------------------------------------------ info

  @Test
  void readsTheRealXlInfoAndKnowsWhichGuestsCanMigrate() {
    HostInfo debian = ToolstackOutputs.parseInfo(fixture("xl-info-debian.txt"), "t");
    assertThat(debian.hostName()).isEqualTo("dom0");
    assertThat(debian.release()).contains("6.1.0-56-amd64");
    assertThat(debian.machine()).contains("x86_64");
    assertThat(debian.nrCpus()).isEqualTo(2);
    assertThat(debian.totalMemoryMib()).isEqualTo(2047);
    assertThat(debian.freeMemoryMib()).isEqualTo(1000);
    assertThat(debian.xenVersion()).isEqualTo("4.17.7");
    assertThat(debian.xenCaps()).containsExactly("xen-3.0-x86_64", "hvm-3.0-x86_32", "hvm-3.0-x86_32p", "hvm-3.0-x86_64");
    assertThat(debian.virtCaps()).contains(Set.of("pv", "hvm", "hap", "gnttab-v1", "gnttab-v2"));
    assertThat(debian.xenScheduler()).contains("credit2");
    assertThat(debian.xenCommandline()).hasValueSatisfying(c -> assertThat(c).contains("dom0_mem=1024M,max:1024M"));
    assertThat(debian.xendConfigFormat()).hasValue(4);
    assertThat(debian.attributes()).containsEntry("xen_changeset", "").hasSize(34);
    // The real run: Debian's hypervisor has no shadow paging, so a PV guest cannot migrate, a PVH one can.
    assertThat(debian.canMigrateLive("pv")).contains(false);
    assertThat(debian.canMigrateLive("pvh")).contains(true);

    HostInfo shadow = ToolstackOutputs.parseInfo(fixture("xl-info-shadow.txt"), "t");
    assertThat(shadow.xenVersion()).isEqualTo("4.17.5");
    assertThat(shadow.canMigrateLive("pv")).contains(true);
  }

  @Test
  void rendersXlInfoByteForByte() {
    String text = fixture("xl-info-debian.txt");
    assertThat(ToolstackOutputs.renderInfo(ToolstackOutputs.parseInfo(text, "t"))).isEqualTo(text);
  }

  @Test
  void readsXmInfoWithContinuationLinesAndWithoutXenVersion() {
    HostInfo xm = ToolstackOutputs.parseInfo(fixture("xm-info.txt"), "t");
    assertThat(xm.hostName()).isEqualTo("blade07.rack2.example.net");
    assertThat(xm.xenVersion()).isEqualTo("3.4.3");
    assertThat(xm.attributes().get("node_to_cpu")).isEqualTo("node0:0-3\nnode1:4-7");
    assertThat(xm.virtCaps()).contains(Set.of("hvm"));
    assertThat(xm.canMigrateLive("pv")).isEmpty(); // Xen 3.4 does not list paging modes
    assertThat(xm.freeMemoryMib()).isEqualTo(20148);
  }

  @Test
  void aCutInfoIsAnError() {
    String text = fixture("xl-info-debian.txt");
    String cut = text.substring(0, text.indexOf("free_memory"));
    assertThatThrownBy(() -> ToolstackOutputs.parseInfo(cut, "t")).isInstanceOf(ParseFailedException.class)
        .hasMessageContaining("no 'free_memory' line (truncated output?)");
    assertThatThrownBy(() -> ToolstackOutputs.parseInfo(text.substring(0, text.indexOf("free_memory") + 6), "t"))
        .isInstanceOfSatisfying(ParseFailedException.class, e -> assertThat(e.line()).isEqualTo(14));
    assertThatThrownBy(() -> ToolstackOutputs.parseInfo(text.replace("total_memory           : 2047", "total_memory           : lots"), "t"))
        .isInstanceOfSatisfying(ParseFailedException.class, e -> {
          assertThat(e.line()).isEqualTo(13);
          assertThat(e.problem()).contains("'total_memory' is not a whole number");
        });
    assertThatThrownBy(() -> ToolstackOutputs.parseInfo("host : a\nthis is not a key value line\n", "t"))
        .isInstanceOfSatisfying(ParseFailedException.class, e -> assertThat(e.line()).isEqualTo(2));
  }

  // ------------------------------------------------------------------ block-list, network-list

  @Test
  void readsTheRealDeviceListsAndRendersThemByteForByte() {
    String blocks = fixture("xl-block-list.txt");
    List<BlockDevice> b = ToolstackOutputs.parseBlockList(blocks, "t");
    assertThat(b).containsExactly(
        new BlockDevice(51712, 0, 1, 4, 7, 8, "/local/domain/0/backend/vbd/1/51712"),
        new BlockDevice(51728, 0, 1, 4, 10, 524, "/local/domain/0/backend/vbd/1/51728"));
    assertThat(b).extracting(d -> d.vdevName().orElseThrow()).containsExactly("xvda", "xvdb");
    assertThat(b.get(0).isConnected()).isTrue();
    assertThat(ToolstackOutputs.renderBlockList(b)).isEqualTo(blocks);

    String nics = fixture("xl-network-list.txt");
    List<NetworkDevice> n = ToolstackOutputs.parseNetworkList(nics, "t");
    assertThat(n).containsExactly(
        new NetworkDevice(0, 0, MacAddress.of("00:16:3e:00:00:02"), 0, 4, -1, 522, 523, "/local/domain/0/backend/vif/1/0"),
        new NetworkDevice(1, 0, MacAddress.of("00:16:3e:00:00:03"), 1, 4, -1, 1038, 1039, "/local/domain/0/backend/vif/1/1"));
    assertThat(ToolstackOutputs.renderNetworkList(n)).isEqualTo(nics);
    assertThat(ToolstackOutputs.parseNetworkList(fixture("xl-network-list-pvh.txt"), "t").get(1).backendPath())
        .isEqualTo("/local/domain/0/backend/vif/4/1");
  }

  @Test
  void readsTheXmDeviceLists() {
    List<BlockDevice> b = ToolstackOutputs.parseBlockList(fixture("xm-block-list.txt"), "t");
    assertThat(b).extracting(d -> d.vdevName().orElseThrow()).containsExactly("xvda", "xvdb", "hdc");
    List<NetworkDevice> n = ToolstackOutputs.parseNetworkList(fixture("xm-network-list.txt"), "t");
    assertThat(n.get(1).txRingRef()).isEqualTo(1280);
    assertThat(n.get(1).rxRingRef()).isEqualTo(1281);
    assertThat(n.get(1).mac()).isEqualTo(MacAddress.of("00:16:3e:2a:5b:02"));
  }

  @Test
  void decodesVirtualDeviceNumbers() {
    assertThat(BlockDevice.vdevName(51713)).contains("xvda1");
    assertThat(BlockDevice.vdevName((1 << 28) | (26 << 8))).contains("xvdaa");
    assertThat(BlockDevice.vdevName(2048)).contains("sda");
    assertThat(BlockDevice.vdevName(768)).contains("hda");
    assertThat(BlockDevice.vdevName(832)).contains("hdb");
    assertThat(BlockDevice.vdevName(5632)).contains("hdc");
    assertThat(BlockDevice.vdevName(7)).isEmpty();
  }

  @Test
  void refusesBrokenDeviceLists() {
    String nics = fixture("xl-network-list.txt");
    assertThatThrownBy(() -> ToolstackOutputs.parseNetworkList(nics.replace("00:16:3e:00:00:03", "00:16:3e:00:00"), "t"))
        .isInstanceOfSatisfying(ParseFailedException.class, e -> assertThat(e.line()).isEqualTo(3));
    assertThatThrownBy(() -> ToolstackOutputs.parseBlockList("51712 0 1 4 7 8 /x\n", "t"))
        .hasMessageContaining("not a device list header");
    String blocks = fixture("xl-block-list.txt");
    assertThatThrownBy(() -> ToolstackOutputs.parseBlockList(blocks.substring(0, blocks.length() - 10), "t"))
        .hasMessageContaining("ends in the middle of a line");
    assertThatThrownBy(() -> ToolstackOutputs.parseBlockList(blocks.replace("524 ", "x "), "t"))
        .isInstanceOfSatisfying(ParseFailedException.class, e -> assertThat(e.line()).isEqualTo(3));
  }

  // ------------------------------------------------------------------ list -l

  @Test
  void readsTheRealXlListLongJson() {
    List<DomainDetails> all = ToolstackOutputs.parseListLong(fixture("xl-list-l.json"), "t");
    assertThat(all).hasSize(2);
    DomainDetails dom0 = all.get(0);
    assertThat(dom0.rawName()).isEqualTo("Domain-0");
    assertThat(dom0.domid()).hasValue(0);
    assertThat(dom0.maxMemoryKib()).hasValue(1048576);
    assertThat(dom0.disks()).isEmpty();

    DomainDetails d = all.get(1);
    assertThat(d.source()).isEqualTo(DomainDetails.Source.XL_JSON);
    assertThat(d.name()).contains(DomainName.of("domU"));
    assertThat(d.domid()).hasValue(1);
    assertThat(d.uuid()).contains("25858948-e910-11f1-ba80-aa32acea0ac0");
    assertThat(d.guestType()).contains("pvh");
    assertThat(d.vcpus()).hasValue(1);
    assertThat(d.memoryMib()).hasValue(128);
    assertThat(d.kernel()).contains("/root/vmlinuz");
    assertThat(d.ramdisk()).contains("/root/domU-initrd.gz");
    assertThat(d.cmdline()).contains("console=hvc0 loglevel=4");
    assertThat(d.onCrash()).contains("preserve");
    assertThat(d.onReboot()).contains("restart");
    assertThat(d.onPoweroff()).isEmpty();
    assertThat(d.state()).isEmpty();

    // What xl holds is what the config file said: the same values.
    DomainConfig cfg = DomainConfig.parse(Fixtures.text(DomainConfig.class, "xl-pvh-run6.cfg"), Dialect.XL);
    assertThat(d.disks()).isEqualTo(cfg.disks());
    assertThat(d.nics()).isEqualTo(cfg.vifs());

    DomainDetails after = ToolstackOutputs.parseListLong(fixture("xl-list-l-final.json"), "t").get(1);
    assertThat(after.domid()).hasValue(3);
    assertThat(after.disks()).extracting(DiskSpec::vdev).containsExactly("xvda", "xvdb");
    assertThat(after.nics()).extracting(v -> v.mac().orElseThrow())
        .containsExactly(MacAddress.of("00:16:3e:00:00:02"), MacAddress.of("00:16:3e:00:00:03"));

    assertThat(ToolstackOutputs.parseListLong(fixture("xl-list-l-pv.json"), "t").get(1).guestType()).contains("pv");
  }

  @Test
  void theRunningConfigurationBecomesAConfigFileAgain() {
    DomainDetails d = ToolstackOutputs.parseListLong(fixture("xl-list-l.json"), "t").get(1);
    DomainConfig original = DomainConfig.parse(Fixtures.text(DomainConfig.class, "xl-pvh-run6.cfg"), Dialect.XL);
    DomainConfig again = DomainConfig.parse(d.toConfig(Dialect.XL).render(), Dialect.XL);
    for (String key : original.keys()) {
      assertThat(again.get(key)).as(key).isEqualTo(original.get(key));
    }
    DomainConfig xm = DomainConfig.parse(d.toConfig(Dialect.XM).render(), Dialect.XM);
    assertThat(xm.get("type")).isEmpty();
    assertThat(xm.disks()).isEqualTo(original.disks());
    assertThatThrownBy(() -> DomainDetails.builder().from(d).rawName("(null)").build().toConfig(Dialect.XL))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCutJsonListingFailsWithItsPosition() {
    String text = fixture("xl-list-l.json");
    String cut = text.substring(0, text.indexOf("\"nics\""));
    assertThatThrownBy(() -> ToolstackOutputs.parseListLong(cut, "`xl list -l` output"))
        .isInstanceOfSatisfying(ParseFailedException.class, e -> {
          assertThat(e.problem()).contains("malformed JSON");
          assertThat(e.line()).isGreaterThan(60);
        });
    assertThatThrownBy(() -> ToolstackOutputs.parseListLong(text.replace("\"00:16:3e:00:00:02\"", "\"00:16:3e\""), "t"))
        .isInstanceOf(ParseFailedException.class).hasMessageContaining("config.nics[0]").hasMessageContaining("MAC address");
    assertThatThrownBy(() -> ToolstackOutputs.parseListLong(text + "]", "t")).isInstanceOf(ParseFailedException.class);
    assertThatThrownBy(() -> ToolstackOutputs.parseListLong("Domain-0 0\n", "t")).hasMessageContaining("neither JSON nor S-expressions");
  }

  @Test
  void readsXmListLong() {
    List<DomainDetails> all = ToolstackOutputs.parseListLong(Fixtures.text(XendConfig.class, "xm-list-long.sxp"), "t");
    assertThat(all).hasSize(2);
    DomainDetails web = all.get(1);
    assertThat(web.source()).isEqualTo(DomainDetails.Source.XM_SXP);
    assertThat(web.name()).contains(DomainName.of("web01"));
    assertThat(web.domid()).hasValue(3);
    assertThat(web.memoryMib()).hasValue(512);
    assertThat(web.maxMemoryKib()).hasValue(1024 * 1024);
    assertThat(web.vcpus()).hasValue(2);
    assertThat(web.state()).contains(EnumSet.of(DomainState.BLOCKED));
    assertThat(web.cpuSeconds()).contains(12.071384572);
    assertThat(web.guestType()).contains("pv");
    assertThat(web.kernel()).contains("/boot/vmlinuz-2.6.18-xen");
    assertThat(web.cmdline()).contains("root=/dev/xvda1 ro console=hvc0");
    assertThat(web.bootloader()).isEmpty();
    assertThat(web.disks()).containsExactly(DiskSpec.parse("phy:/dev/mapper/web01,xvda:disk,w"),
        DiskSpec.parse("file:/srv/iso/netinst.iso,hdc:cdrom,r"));
    VifSpec nic = web.nics().get(0);
    assertThat(nic.bridge()).contains(InterfaceName.of("xenbr1"));
    assertThat(nic.ips()).hasSize(2);
    assertThat(nic.vifname()).contains(InterfaceName.of("web01-eth0"));
  }

  @Test
  void readsTheSxpFormOfOldXlListLong() {
    DomainDetails d = ToolstackOutputs.parseListLong(Fixtures.text(XendConfig.class, "xl-list-l-4.1.sxp"), "t").get(0);
    assertThat(d.source()).isEqualTo(DomainDetails.Source.XL_SXP);
    assertThat(d.domid()).hasValue(5);
    assertThat(d.guestType()).contains("pv");
    assertThat(d.maxMemoryKib()).hasValue(1048576);
    assertThat(d.vcpus()).hasValue(2);
    assertThat(d.cmdline()).contains("root=/dev/xvda1 ro");
    assertThat(d.disks()).containsExactly(DiskSpec.builder().target("/dev/mapper/vm1").vdev("xvda").format("raw")
        .access(DiskSpec.Access.READ_WRITE).build());
    assertThat(d.disks().get(0).multipathAlias()).isPresent();
    assertThat(d.nics().get(0).model()).contains("rtl8139");
    assertThat(d.nics().get(0).script()).contains("/etc/xen/scripts/vif-bridge");
  }

  @Test
  void aBrokenSxpListingNamesTheDomainsLine() {
    String text = Fixtures.text(XendConfig.class, "xm-list-long.sxp");
    assertThatThrownBy(() -> ToolstackOutputs.parseListLong(text.replace("(state -b----)", "(state -b-x--)"), "t"))
        .isInstanceOfSatisfying(ParseFailedException.class, e -> {
          assertThat(e.line()).isEqualTo(26);
          assertThat(e.problem()).contains("domain web01").contains("position 4");
        });
    assertThatThrownBy(() -> ToolstackOutputs.parseListLong(text.substring(0, text.length() - 3), "t"))
        .isInstanceOf(ParseFailedException.class).hasMessageContaining("never closed");
  }

  // ------------------------------------------------------------------ migration lines

  @Test
  void understandsEveryLineOfARealMigration() {
    List<MigrationEvent> events = fixture("xl-migrate-pvh.txt").lines().filter(l -> !l.isBlank())
        .map(l -> MigrationEvent.parse(l, Duration.ZERO)).toList();
    assertThat(events).extracting(MigrationEvent::stage).containsExactly(
        Stage.CONNECTING, Stage.TARGET_READY, Stage.RECEIVING, Stage.RECEIVING, Stage.RECEIVING, Stage.SENDING,
        Stage.RECEIVING, Stage.RECEIVING, Stage.TRANSFER_COMPLETE, Stage.OTHER, Stage.OTHER, Stage.TRANSFER_COMPLETE,
        Stage.TRANSFER_COMPLETE, Stage.STARTING, Stage.STARTING, Stage.STARTED, Stage.SUCCEEDED);
    assertThat(events).noneMatch(MigrationEvent::error);
    assertThat(MigrateCommand.lastStage(events)).isEqualTo(Stage.SUCCEEDED);

    for (String f : List.of("xl-migrate-pv.txt", "xl-migrate-pvh-run7.txt", "xl-migrate-no-ssh.txt")) {
      List<MigrationEvent> e = fixture(f).lines().filter(l -> !l.isBlank()).map(l -> MigrationEvent.parse(l, Duration.ZERO)).toList();
      assertThat(e.get(e.size() - 1).stage()).as(f).isEqualTo(Stage.SUCCEEDED);
      assertThat(e).as(f).extracting(MigrationEvent::stage).contains(Stage.TARGET_READY, Stage.SENDING, Stage.STARTED);
    }
  }

  @Test
  void understandsFailuresAndProgressLines() {
    List<MigrationEvent> e = fixture("xl-migrate-pv-no-shadow.txt").lines().map(l -> MigrationEvent.parse(l, Duration.ZERO)).toList();
    assertThat(e).allMatch(MigrationEvent::error);
    assertThat(e.get(1).stage()).isEqualTo(Stage.FAILED);

    MigrationEvent progress = MigrationEvent.parse(fixture("xl-save-pv.txt").lines().toList().get(2), Duration.ofSeconds(3));
    assertThat(progress.stage()).isEqualTo(Stage.MEMORY);
    assertThat(progress.done()).hasValue(0);
    assertThat(progress.total()).hasValue(0);
    assertThat(progress.fraction()).isEmpty();
    MigrationEvent frames = MigrationEvent.parse("xc: progress: Frames: 16384/32768   50%", Duration.ofSeconds(9));
    assertThat(frames.fraction()).hasValue(0.5);
    assertThat(frames.elapsed()).isEqualTo(Duration.ofSeconds(9));
  }
}
