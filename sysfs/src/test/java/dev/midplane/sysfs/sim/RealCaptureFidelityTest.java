package dev.midplane.sysfs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.files.AttributeWriteException;
import dev.midplane.core.files.Errno;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.BondMode;
import dev.midplane.sysfs.Bonding;
import dev.midplane.sysfs.Sysfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated kernel against what the real Linux 6.1 printed in the lab: the lab's bonding
 * scenarios replayed step by step give the same {@code /proc/net/bonding} text (permanent MAC
 * addresses aside, which are random on veth), and the attributes the real kernel showed for a
 * SCSI disk, its host, a multipath map and a bond have the same formats in the simulated tree.
 */
class RealCaptureFidelityTest {
  private static final Class<?> ANCHOR = Sysfs.class; // the resources sit in dev/midplane/sysfs

  @TempDir
  Path dir;

  private static String fixture(String name) {
    return Fixtures.text(ANCHOR, name);
  }

  private static String withoutMacs(String procBonding) {
    return procBonding.replaceAll("Permanent HW addr: \\S+", "Permanent HW addr: <mac>");
  }

  private static InterfaceName n(String s) {
    return InterfaceName.of(s);
  }

  /** {@code ip link add NAME type bond mode active-backup miimon 100}. */
  private static void activeBackupMiimon100(SimulatedNet net, String name) {
    net.createBond(n(name));
    net.setBondMode(n(name), BondMode.ACTIVE_BACKUP);
    net.setBondOption(n(name), "miimon", "100");
  }

  @Test
  void bondLogPartA_iproute2BondOverVethAndItsTwoFailovers() {
    SimulatedKernel k = SimulatedKernel.create(dir, HostName.of("lab"), SimulatedSan.create());
    SimulatedNet net = k.net();
    // $ ip link add bond0 type bond mode active-backup miimon 100
    activeBackupMiimon100(net, "bond0");
    // $ ip link add veth0a type veth peer name veth0b, likewise veth1a/veth1b
    net.createVethPair(n("veth0a"), n("veth0b"));
    net.createVethPair(n("veth1a"), n("veth1b"));
    net.setMaster(n("veth0a"), n("bond0"));
    net.setUp(n("veth0b"), true);
    net.setMaster(n("veth1a"), n("bond0"));
    net.setUp(n("veth1b"), true);
    net.setUp(n("bond0"), true);
    Sysfs sysfs = Sysfs.on(k.host());
    assertThat(withoutMacs(sysfs.procBonding(n("bond0")).render())).isEqualTo(withoutMacs(fixture("bonding/proc-bond0.txt")));

    // failover 1: admin down the active slave
    net.setUp(n("veth0a"), false);
    assertThat(withoutMacs(sysfs.procBonding(n("bond0")).render())).isEqualTo(withoutMacs(fixture("bonding/failover-1.txt")));
    net.setUp(n("veth0a"), true);
    // failover 2: carrier loss (peer down) on the active slave veth1a
    net.setUp(n("veth1b"), false);
    assertThat(withoutMacs(sysfs.procBonding(n("bond0")).render())).isEqualTo(withoutMacs(fixture("bonding/failover-2.txt")));
    assertThat(net.link(n("veth1a")).orElseThrow().operstate()).isEqualTo("lowerlayerdown");
  }

  @Test
  void bondLogPartB_dummySlaves() {
    SimulatedKernel k = SimulatedKernel.create(dir, HostName.of("lab"), SimulatedSan.create());
    SimulatedNet net = k.net();
    activeBackupMiimon100(net, "bondd");
    net.createDummy(n("dum0"));
    net.setMaster(n("dum0"), n("bondd"));
    net.createDummy(n("dum1"));
    net.setMaster(n("dum1"), n("bondd"));
    net.setUp(n("bondd"), true);
    Sysfs sysfs = Sysfs.on(k.host());
    assertThat(withoutMacs(sysfs.procBonding(n("bondd")).render())).isEqualTo(withoutMacs(fixture("bonding/dummy-1.txt")));
    net.setUp(n("dum0"), false);
    assertThat(withoutMacs(sysfs.procBonding(n("bondd")).render())).isEqualTo(withoutMacs(fixture("bonding/dummy-2.txt")));
  }

  @Test
  void bondLogPartC_aBondMadeThroughSysfs() {
    SimulatedKernel k = SimulatedKernel.create(dir, HostName.of("lab"), SimulatedSan.create());
    SimulatedNet net = k.net();
    Bonding bonding = Sysfs.on(k.host()).bonding();
    bonding.createBond(n("bond1"));
    bonding.setMode(n("bond1"), BondMode.ACTIVE_BACKUP);
    bonding.setMiimon(n("bond1"), 100);
    net.createVethPair(n("veth2a"), n("veth2b"));
    net.setUp(n("veth2b"), true);
    net.createVethPair(n("veth3a"), n("veth3b"));
    net.setUp(n("veth3b"), true);
    net.setUp(n("veth2a"), true);
    // sh: write error: Operation not permitted
    assertThatThrownBy(() -> bonding.enslave(n("bond1"), n("veth2a"))).isInstanceOf(AttributeWriteException.class)
        .satisfies(e -> assertThat(((AttributeWriteException) e).errno()).contains(Errno.EPERM));
    bonding.enslave(n("bond1"), n("veth3a"));
    net.setUp(n("bond1"), true);
    assertThat(withoutMacs(Sysfs.on(k.host()).procBonding(n("bond1")).render()))
        .isEqualTo(withoutMacs(fixture("bonding/sysfs-bond1.txt")));
    // "-veth3a" then "+veth3a" works: releasing closes the slave, so it can be enslaved again
    bonding.releaseEvenIfActive(n("bond1"), n("veth3a"));
    bonding.enslave(n("bond1"), n("veth3a"));
    assertThat(Sysfs.on(k.host()).procBonding(n("bond1")).slaves()).hasSize(1);
    assertThat(k.root().resolve("sys/class/net/bonding_masters")).hasContent("bond1");
  }

  // ---------------------------------------------------------------- attribute formats

  /** The {@code name=value} lines of a dump; continuation lines (indented by 4) belong to the value before. */
  private static Map<String, String> dump(String resource) {
    Map<String, String> m = new LinkedHashMap<>();
    String last = null;
    for (String l : fixture(resource).split("\n")) {
      if (l.startsWith("    ") && last != null) {
        m.put(last, m.get(last) + "\n" + l.substring(4));
      } else {
        int eq = l.indexOf('=');
        last = l.substring(0, eq);
        m.put(last, l.substring(eq + 1));
      }
    }
    return m;
  }

  /** What {@code $(cat file)} gives: the content without trailing newlines. */
  private static String cat(Path p) {
    try {
      return Files.readString(p, StandardCharsets.ISO_8859_1).replaceAll("\n+$", "");
    } catch (IOException e) {
      throw new AssertionError("the simulated kernel has no " + p, e);
    }
  }

  private static void sameFormats(String resource, Path simDir, Map<String, String> rules) {
    Map<String, String> real = dump(resource);
    rules.forEach((attr, regex) -> {
      Pattern p = Pattern.compile(regex);
      assertThat(real).as("real capture has " + attr).containsKey(attr);
      assertThat(real.get(attr)).as("real " + attr).matches(p);
      assertThat(cat(simDir.resolve(attr))).as("simulated " + attr).matches(p);
    });
  }

  private SimulatedKernel bladeWithMap() {
    SimulatedSan san = SimulatedSan.create();
    SimulatedKernel k = SimulatedKernel.blade(dir, HostName.of("lab"), san);
    Wwid w = san.createLun(64L << 20);
    san.present(w, k.scsi().initiatorPorts());
    Sysfs.on(k.host()).scan(1);
    k.deviceMapper().create("vm-test", Optional.of(w.dmUuid()),
        SimulatedDeviceMapper.Table.of(131072, "multipath", "0 1 alua 2 1 service-time 0 1 1 8:0 1 service-time 0 1 1 8:16 1"));
    return k;
  }

  @Test
  void scsiAndBlockAttributesHaveTheRealFormats() {
    SimulatedKernel k = bladeWithMap();
    Path sys = k.root().resolve("sys");
    Path sda = sys.resolve("block/sda");
    sameFormats("scsi/scsi_device-attributes.txt", sda.resolve("device"), Map.ofEntries(
        Map.entry("vendor", ".{8}"), Map.entry("model", ".{16}"), Map.entry("rev", ".{4}"),
        Map.entry("type", "0"), Map.entry("state", "running"), Map.entry("device_blocked", "0"),
        Map.entry("wwid", "naa\\.[0-9a-f]{16,32}"), Map.entry("access_state", "active/(optimized|non-optimized)"),
        Map.entry("dh_state", "alua"), Map.entry("queue_depth", "\\d+"), Map.entry("timeout", "30"),
        Map.entry("eh_timeout", "10"), Map.entry("scsi_level", "[0-9]"), Map.entry("modalias", "scsi:t-0x00"),
        Map.entry("uevent", "DEVTYPE=scsi_device\nDRIVER=sd\nMODALIAS=scsi:t-0x00")));
    sameFormats("scsi/block-sd-attributes.txt", sda, Map.ofEntries(
        Map.entry("dev", "8:\\d+"), Map.entry("size", "\\d+"), Map.entry("ro", "0"), Map.entry("removable", "0"),
        Map.entry("hidden", "0"), Map.entry("range", "16"), Map.entry("ext_range", "256"), Map.entry("capability", "0"),
        Map.entry("diskseq", "\\d+"),
        Map.entry("uevent", "MAJOR=8\nMINOR=\\d+\nDEVNAME=sd[a-z]+\nDEVTYPE=disk\nDISKSEQ=\\d+")));
    Path dm0 = sys.resolve("block/dm-0");
    sameFormats("scsi/block-dm-attributes.txt", dm0, Map.ofEntries(
        Map.entry("dev", "\\d+:0"), Map.entry("size", "131072"), Map.entry("ro", "0"), Map.entry("removable", "0"),
        Map.entry("hidden", "0"), Map.entry("range", "1"), Map.entry("ext_range", "1"), Map.entry("capability", "4"),
        Map.entry("uevent", "MAJOR=\\d+\nMINOR=0\nDEVNAME=dm-0\nDEVTYPE=disk\nDISKSEQ=\\d+")));
    sameFormats("scsi/dm-attributes.txt", dm0.resolve("dm"), Map.of(
        "name", "vm-test", "uuid", "mpath-\\S+", "suspended", "0", "use_blk_mq", "1", "rq_based_seq_io_merge_deadline", "0"));
    sameFormats("scsi/scsi_host-attributes.txt", sys.resolve("class/scsi_host/host1"), Map.of(
        "proc_name", "[a-z0-9_]+", "state", "running", "active_mode", "Initiator", "supported_mode", "Initiator",
        "can_queue", "\\d+", "cmd_per_lun", "\\d+", "unique_id", "\\d+", "host_busy", "0"));
  }

  @Test
  void inquiryDataIsLaidOutAsTheRealOne() throws IOException {
    SimulatedKernel k = bladeWithMap();
    String[] hex = dump("scsi/scsi_device-attributes.txt").get("inquiry").trim().split("\\s+");
    byte[] real = new byte[hex.length];
    for (int i = 0; i < hex.length; i++) {
      real[i] = (byte) Integer.parseInt(hex[i], 16);
    }
    byte[] sim = Files.readAllBytes(k.root().resolve("sys/block/sda/device/inquiry"));
    for (byte[] inq : List.of(real, sim)) {
      assertThat(inq).hasSize(96);
      assertThat(inq[3] & 0x0f).isEqualTo(2); // response data format
      assertThat(inq[4] & 0xff).isEqualTo(inq.length - 5); // additional length
      assertThat(inq[5] & 0x30).isEqualTo(0x10); // TPGS: implicit ALUA
    }
    Map<String, String> attrs = dump("scsi/scsi_device-attributes.txt");
    assertThat(new String(real, 8, 8, StandardCharsets.US_ASCII)).isEqualTo(attrs.get("vendor"));
    assertThat(new String(sim, 8, 8, StandardCharsets.US_ASCII)).isEqualTo(cat(k.root().resolve("sys/block/sda/device/vendor")));
    assertThat(new String(sim, 16, 16, StandardCharsets.US_ASCII)).isEqualTo(cat(k.root().resolve("sys/block/sda/device/model")));
    assertThat(Sysfs.on(k.host()).discover().network(false).call().path(BlockDeviceName.of("sda")).orElseThrow().model())
        .isEqualTo("midplane-lun");
  }

  @Test
  void bondingAttributesHaveTheRealFormats() {
    SimulatedKernel k = SimulatedKernel.blade(dir, HostName.of("lab"), SimulatedSan.create());
    Path bond = k.root().resolve("sys/class/net/bond0");
    sameFormats("bonding/bond0-bonding-attributes.txt", bond.resolve("bonding"), Map.ofEntries(
        Map.entry("mode", "active-backup 1"), Map.entry("miimon", "100"), Map.entry("updelay", "0"),
        Map.entry("downdelay", "0"), Map.entry("arp_interval", "0"), Map.entry("arp_ip_target", ""),
        Map.entry("arp_validate", "none 0"), Map.entry("fail_over_mac", "none 0"), Map.entry("primary", ""),
        Map.entry("primary_reselect", "always 0"), Map.entry("active_slave", "[a-z0-9]+"),
        Map.entry("slaves", "[a-z0-9]+ [a-z0-9]+"), Map.entry("mii_status", "up"), Map.entry("arp_missed_max", "2"),
        Map.entry("arp_all_targets", "any 0"), Map.entry("use_carrier", "1"), Map.entry("num_grat_arp", "1"),
        Map.entry("xmit_hash_policy", "layer2 0"), Map.entry("all_slaves_active", "0"), Map.entry("min_links", "0"),
        Map.entry("peer_notif_delay", "0"), Map.entry("queue_id", "[a-z0-9]+:0 [a-z0-9]+:0")));
    sameFormats("bonding/slave-attributes.txt", k.root().resolve("sys/class/net/eth0/bonding_slave"), Map.of(
        "state", "active", "mii_status", "up", "link_failure_count", "0",
        "perm_hwaddr", "([0-9a-f]{2}:){5}[0-9a-f]{2}", "queue_id", "0", "ad_aggregator_id", "N/A"));
  }
}
