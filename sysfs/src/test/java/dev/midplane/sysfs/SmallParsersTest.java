package dev.midplane.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmallParsersTest {
  @Test
  void vlanConfigFromTheRealKernel() {
    VlanConfig one = VlanConfig.parse(Fixtures.text(getClass(), "vlan/config-1.txt"));
    assertThat(one.nameType()).isEqualTo("VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD");
    assertThat(one.devices()).containsExactly(new VlanDevice(InterfaceName.of("bond0.100"), 100, InterfaceName.of("bond0")));
    assertThat(VlanConfig.parse(Fixtures.text(getClass(), "vlan/config-2.txt")).devices()).hasSize(2);
    for (String f : List.of("vlan/config-1.txt", "vlan/config-2.txt", "vlan/config-3.txt")) {
      String text = Fixtures.text(getClass(), f);
      assertThat(VlanConfig.parse(text).render()).isEqualTo(text);
    }
  }

  @Test
  void vlanConfigRefusesBadLines() {
    String text = Fixtures.text(getClass(), "vlan/config-2.txt");
    assertThatThrownBy(() -> VlanConfig.parse(text.replace("| 200  |", "| 5000  |")))
        .isInstanceOf(SysfsParseException.class).hasMessageContaining("line 4");
    assertThatThrownBy(() -> VlanConfig.parse(text.replace("bond0.200      | 200  | bond0", "bond0.200 200 bond0")))
        .isInstanceOf(SysfsParseException.class).hasMessageContaining("line 4");
    assertThatThrownBy(() -> VlanConfig.parse("Name-Type: X\n")).isInstanceOf(SysfsParseException.class).hasMessageContaining("line 1");
  }

  @Test
  void udevEntriesInUdevsOwnFormat() {
    // written by hand in the format of systemd-udevd 252's /run/udev/data/b8:0, following device_update_db()
    // in systemd's sd-device; the properties are those udevadm info printed for the real scsi_debug disk
    String text = """
        S:disk/by-id/scsi-1Linux_scsi_debug_2000
        S:disk/by-id/wwn-0x33333330000007d0
        I:16861839
        E:ID_SCSI=1
        E:ID_SERIAL=1Linux_scsi_debug_2000
        E:ID_WWN=0x33333330000007d0
        G:systemd
        Q:systemd
        V:1
        """;
    UdevEntry e = UdevEntry.parse(text, "b8:0");
    assertThat(e.property("ID_SERIAL")).contains("1Linux_scsi_debug_2000");
    assertThat(e.symlinks()).containsExactly("disk/by-id/scsi-1Linux_scsi_debug_2000", "disk/by-id/wwn-0x33333330000007d0");
    assertThat(e.initializedUsec()).hasValue(16861839);
    assertThat(e.render()).isEqualTo(text);
    assertThatThrownBy(() -> UdevEntry.parse("S:x\nE:NOEQUALS\n", "b8:0")).isInstanceOf(SysfsParseException.class)
        .hasMessageContaining("b8:0, line 2");
    assertThatThrownBy(() -> UdevEntry.parse("I:soon\n", "b8:0")).isInstanceOf(SysfsParseException.class);
  }

  @Test
  void theRealUdevadmPropertiesIncludeWhatTheSimulatedUdevWrites() {
    // udevadm info prints the database's E: lines with "E: "; the simulated udevd must use the same names
    List<String> real = Fixtures.text(getClass(), "scsi/udevadm-info-sda.txt").lines()
        .filter(l -> l.startsWith("E: ")).map(l -> l.substring(3, l.indexOf('='))).toList();
    assertThat(real).contains("ID_SERIAL", "ID_SERIAL_SHORT", "ID_WWN", "ID_WWN_WITH_EXTENSION", "ID_VENDOR", "ID_VENDOR_ENC",
        "ID_MODEL", "ID_MODEL_ENC", "ID_REVISION", "ID_TYPE", "ID_BUS", "ID_SCSI", "ID_SCSI_INQUIRY", "SCSI_TPGS",
        "ID_SCSI_SERIAL", "DM_MULTIPATH_DEVICE_PATH");
  }

  @Test
  void discoveryReadsTheRealUdevEntrysSerialAndInquiryStrings() {
    // the database entry behind the captured udevadm info: its E: lines, without the space udevadm adds
    StringBuilder entry = new StringBuilder("S:disk/by-id/scsi-1Linux_scsi_debug_2000\nI:16861839\n");
    Fixtures.text(getClass(), "scsi/udevadm-info-sda.txt").lines().filter(l -> l.startsWith("E: "))
        .forEach(l -> entry.append("E:").append(l.substring(3)).append('\n'));
    String e = entry.toString();
    assertThat(Discoverer.property(e, "ID_SERIAL")).contains("1Linux_scsi_debug_2000");
    assertThat(Discoverer.property(e, "ID_SERIAL")).isEqualTo(UdevEntry.parse(e, "b8:0").property("ID_SERIAL"));
    assertThat(Discoverer.property(e, "NO_SUCH_KEY")).isEmpty();
    assertThat(Discoverer.property("E:ID_SERIAL=x\n", "ID_SERIAL")).contains("x");
    // the same strings as the sysfs attributes of the same disk: vendor=Linux, model=scsi_debug, rev=0191
    assertThat(Discoverer.inquiryStrings(e)).containsExactly("Linux", "scsi_debug", "0191");
    assertThat(Discoverer.inquiryStrings("E:ID_SERIAL=x\n")).isNull();
    assertThat(Discoverer.unescape("HP\\x20LOGICAL\\x2fVOLUME\\x2")).isEqualTo("HP LOGICAL/VOLUME\\x2");
  }

  @Test
  void blockDeviceNames() {
    assertThat(BlockDeviceName.of("sdaa").isScsiDisk()).isTrue();
    assertThat(BlockDeviceName.of("sda1").isScsiDisk()).isFalse();
    assertThat(BlockDeviceName.of("dm-12").isDeviceMapper()).isTrue();
    assertThat(BlockDeviceName.of("nvme0n1").isDeviceMapper()).isFalse();
    for (String bad : List.of("", "..", "../sda", "sd a", "-sda", "a/b", "x".repeat(32), "sda\n")) {
      assertThatThrownBy(() -> BlockDeviceName.of(bad)).isInstanceOf(InvalidNameException.class);
    }
  }

  @Test
  void worldWideNames() {
    Wwn w = Wwn.of("0x500a098012345678");
    assertThat(Wwn.of("50:0a:09:80:12:34:56:78")).isEqualTo(w);
    assertThat(Wwn.of("500A098012345678")).isEqualTo(w);
    assertThat(w.sysfs()).isEqualTo("0x500a098012345678");
    assertThat(w.colonSeparated()).isEqualTo("50:0a:09:80:12:34:56:78");
    assertThat(Wwn.of("0x2100f4e9d4aabbcc")).isLessThan(w);
    assertThat(Wwn.of("0xc000000000000000")).isGreaterThan(w);
    for (String bad : List.of("", "0x", "0x5001g", "50:0a:09", "0x1234567890abcdef0")) {
      assertThatThrownBy(() -> Wwn.of(bad)).isInstanceOf(InvalidNameException.class);
    }
  }

  @Test
  void deviceNumbersAndScanAddresses() {
    assertThat(DevNumber.parse("253:12\n")).isEqualTo(new DevNumber(253, 12));
    assertThat(new DevNumber(8, 16).udevBlockKey()).isEqualTo("b8:16");
    for (String bad : List.of("8", "8:", ":1", "8:1:2", "a:b", "-1:0")) {
      assertThatThrownBy(() -> DevNumber.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(ScanAddress.ALL.render()).isEqualTo("- - -");
    assertThat(ScanAddress.of(0, 2, 17).render()).isEqualTo("0 2 17");
    assertThat(ScanAddress.target(0, 1).render()).isEqualTo("0 1 -");
    assertThat(ScanAddress.target(0, 1).matches(0, 1, 9)).isTrue();
    assertThat(ScanAddress.target(0, 1).matches(0, 2, 9)).isFalse();
  }

  @Test
  void bondOptionNumbersAreTheKernels() {
    // bonding's BOND_MODE_*, BOND_ARP_VALIDATE_*, BOND_FOM_* and BOND_PRI_RESELECT_* values
    assertThat(List.of(BondMode.values())).extracting(BondMode::number).containsExactly(0, 1, 2, 3, 4, 5, 6);
    assertThat(BondMode.IEEE_802_3AD.sysfs()).isEqualTo("802.3ad 4");
    assertThat(ArpValidate.FILTER_BACKUP.sysfs()).isEqualTo("filter_backup 6");
    assertThat(FailOverMac.FOLLOW.sysfs()).isEqualTo("follow 2");
    assertThat(PrimaryReselect.FAILURE.sysfs()).isEqualTo("failure 2");
  }

  @Test
  void arpValidateIsReadAsTheKernelsBitSet() {
    assertThat(List.of(ArpValidate.values())).filteredOn(ArpValidate::validatesActive)
        .containsExactly(ArpValidate.ACTIVE, ArpValidate.ALL, ArpValidate.FILTER_ACTIVE);
    assertThat(List.of(ArpValidate.values())).filteredOn(ArpValidate::validatesBackup)
        .containsExactly(ArpValidate.BACKUP, ArpValidate.ALL, ArpValidate.FILTER_BACKUP);
    assertThat(List.of(ArpValidate.values())).filteredOn(ArpValidate::filtersNonArp)
        .containsExactly(ArpValidate.FILTER, ArpValidate.FILTER_ACTIVE, ArpValidate.FILTER_BACKUP);
    // a backup under filter_active: not validated, so ARP counts and other frames do not
    assertThat(ArpValidate.FILTER_ACTIVE.countsStrayFrame(false, true)).isTrue();
    assertThat(ArpValidate.FILTER_ACTIVE.countsStrayFrame(false, false)).isFalse();
    assertThat(ArpValidate.FILTER_ACTIVE.countsStrayFrame(true, true)).isFalse();
    assertThat(ArpValidate.NONE.countsStrayFrame(true, false)).isTrue();
    assertThat(ArpValidate.BACKUP.countsStrayFrame(false, true)).isFalse();
  }

  @Test
  void bondOptionSpellings() {
    assertThat(BondMode.fromSysfs("active-backup 1")).contains(BondMode.ACTIVE_BACKUP);
    assertThat(BondMode.fromOption("4")).contains(BondMode.IEEE_802_3AD);
    assertThat(BondMode.fromDescription("fault-tolerance (active-backup)")).contains(BondMode.ACTIVE_BACKUP);
    assertThat(BondMode.fromOption("active_backup")).isEmpty();
    assertThat(ArpValidate.fromOption("all 3")).contains(ArpValidate.ALL);
    assertThat(FailOverMac.fromOption("none 0")).contains(FailOverMac.NONE);
    assertThat(PrimaryReselect.fromOption("always 0")).contains(PrimaryReselect.ALWAYS);
  }

  @Test
  void linksResolveLexicallyAndNeverLeaveSys() {
    assertThat(Discoverer.resolveUnderSys("dev/block", "../../devices/virtual/block/dm-0")).contains("devices/virtual/block/dm-0");
    assertThat(Discoverer.resolveUnderSys("class/net", "../../devices/virtual/net/bond0")).contains("devices/virtual/net/bond0");
    assertThat(Discoverer.resolveUnderSys("dev/block", "../../../etc")).isEmpty();
    assertThat(Discoverer.resolveUnderSys("dev/block", "/etc/passwd")).isEmpty();
    assertThat(Discoverer.resolveUnderSys("dev/block", "/sys/devices/x")).contains("devices/x");
  }

  @Test
  void naturalOrderIsTheKernelsOrder() {
    List<String> names = new java.util.ArrayList<>(List.of("sdaa", "sdb", "sda", "dm-10", "dm-2", "host10", "host2", "sdz"));
    names.sort(Discoverer::naturalOrder);
    assertThat(names).containsExactly("dm-2", "dm-10", "host2", "host10", "sda", "sdb", "sdz", "sdaa");
  }
}
