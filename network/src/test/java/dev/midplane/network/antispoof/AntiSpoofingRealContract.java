package dev.midplane.network.antispoof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.plan.PlanReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anti-spoofing against real packets on this machine's kernel, for one backend: every attack is
 * first shown to get through without the lock (so the measurement can see it), then to be stopped
 * by the lock, then to get through again after unlock.
 */
abstract class AntiSpoofingRealContract {
  private VifLab lab;
  private AntiSpoofing as;

  abstract AntiSpoofing.Backend backend();

  /** A rule an administrator had before the SDK came, in this backend's tool. */
  abstract void addAdminRule(VifLab lab);

  @BeforeEach
  void setUp() {
    lab = VifLab.create(3);
    as = AntiSpoofing.on(lab.host, backend());
  }

  @AfterEach
  void tearDown() {
    if (lab != null) {
      lab.close();
    }
  }

  private void lockAll() {
    PlanReport r = as.lock(lab.policy(1), lab.policy(2), lab.policy(3));
    assertThat(r.succeeded()).isTrue();
  }

  @Test
  void honestTrafficPassesAndTheLockReadsBackAsLocked() {
    lockAll();
    for (int i = 1; i <= 3; i++) {
      VifStatus s = as.status(lab.vif(i));
      assertThat(s.problems()).isEmpty();
      assertThat(s.state()).isEqualTo(VifStatus.State.LOCKED);
      assertThat(s.policy()).contains(lab.policy(i));
    }
    assertThat(lab.ping(1, lab.ip(2))).isTrue();
    assertThat(lab.ping(2, lab.ip(3))).isTrue();
    assertThat(lab.ping(3, lab.ip(1))).isTrue();
  }

  @Test
  void aChangedMacIsBlocked() {
    MacAddress forged = MacAddress.of("00:16:3e:00:00:99");
    lab.observe(2, "forged", "ether", "saddr", forged.toString());
    lab.guest(1).execute("ip", "link", "set", "eth0", "address", forged.toString());
    lab.ping(1, lab.ip(2));
    assertThat(lab.count(2, "forged")).as("without the lock the forged MAC arrives").isPositive();

    lockAll();
    lab.reset(2, "forged");
    assertThat(lab.ping(1, lab.ip(2))).isFalse();
    assertThat(lab.count(2, "forged")).as("with the lock nothing from the forged MAC arrives").isZero();
    assertThat(as.status(lab.vif(1)).droppedFromVm()).as("the bridge counted the drops").isPositive();

    as.unlock(lab.vif(1), lab.vif(2), lab.vif(3));
    lab.ping(1, lab.ip(2));
    assertThat(lab.count(2, "forged")).as("after unlock it arrives again").isPositive();
  }

  @Test
  void aChangedSourceAddressIsBlockedTowardGuestsAndTowardTheHost() {
    Ipv4Address forged = Ipv4Address.of("192.0.2.99");
    lab.observe(2, "forged", "ip", "saddr", forged.toString());
    lab.guest(1).execute("ip", "addr", "add", forged + "/24", "dev", "eth0");
    lab.ping(1, lab.ip(2), "-I", forged.toString());
    assertThat(lab.count(2, "forged")).isPositive();

    lockAll();
    assertThat(lab.ping(1, lab.ip(2))).as("its own address still works").isTrue();
    lab.reset(2, "forged");
    assertThat(lab.ping(1, lab.ip(2), "-I", forged.toString())).isFalse();
    assertThat(lab.count(2, "forged")).isZero();

    // Toward the host itself (INPUT): give br0 an address and count what reaches it. The honest
    // ping comes first, so guest 1 has the host's MAC and the forged ping leaves as IPv4.
    lab.dom0.execute("ip", "addr", "add", "192.0.2.1/24", "dev", "br0");
    lab.dom0.execute("nft", "add", "table", "netdev", "obs");
    lab.dom0.execute("nft", "add", "chain", "netdev", "obs", "in", "{", "type", "filter", "hook", "ingress", "device",
        "br0", "priority", "0", ";", "}");
    lab.dom0.execute("nft", "add", "rule", "netdev", "obs", "in", "ip", "saddr", forged.toString(), "counter");
    assertThat(lab.ping(1, Ipv4Address.of("192.0.2.1"))).as("the host answers the guest's own address").isTrue();
    assertThat(lab.ping(1, Ipv4Address.of("192.0.2.1"), "-I", forged.toString())).isFalse();
    assertThat(lab.dom0.execute("nft", "list", "chain", "netdev", "obs", "in").stdout()).contains("packets 0 bytes 0");
  }

  @Test
  void aForgedArpNamingAnotherGuestsAddressIsBlocked() {
    // Guest 1 claims guest 2's address with its own MAC: ARP cache poisoning of guest 3.
    lab.observe(3, "forged", "arp", "saddr", "ip", lab.ip(2).toString(), "arp", "saddr", "ether", lab.mac(1).toString());
    arping(1, lab.ip(2), lab.ip(3));
    assertThat(lab.count(3, "forged")).isPositive();

    lockAll();
    lab.reset(3, "forged");
    lab.guest(3).execute("ip", "neigh", "flush", "dev", "eth0");
    arping(1, lab.ip(2), lab.ip(3));
    assertThat(lab.count(3, "forged")).isZero();
    assertThat(lab.guest(3).execute("ip", "neigh", "show", lab.ip(2).toString()).stdout())
        .doesNotContain(lab.mac(1).toString());

    as.unlock(lab.vif(1));
    arping(1, lab.ip(2), lab.ip(3));
    assertThat(lab.count(3, "forged")).isPositive();
  }

  private void arping(int from, Ipv4Address claimed, Ipv4Address target) {
    // Habets arping: -S sets the sender protocol address; replies are not expected.
    lab.guest(from).run("arping", "-q", "-c", "3", "-w", "1", "-i", "eth0", "-S", claimed.toString(), target.toString());
  }

  @Test
  void sniffingOthersUnicastIsBlockedWhileTheBridgeFloods() {
    lab.guest(3).execute("ip", "link", "set", "eth0", "promisc", "on");
    lab.observe(3, "sniffed", "ether", "daddr", lab.mac(2).toString());
    assertThat(lab.ping(1, lab.ip(2))).isTrue();
    assertThat(lab.count(3, "sniffed")).as("ageing_time 0 floods guest 2's unicast to guest 3").isPositive();

    lockAll();
    lab.reset(3, "sniffed");
    assertThat(lab.ping(1, lab.ip(2))).isTrue();
    assertThat(lab.ping(1, lab.ip(2))).isTrue();
    assertThat(lab.count(3, "sniffed")).isZero();
    assertThat(as.status(lab.vif(3)).droppedToVm()).isPositive();

    as.unlock(lab.vif(3));
    assertThat(lab.ping(1, lab.ip(2))).isTrue();
    assertThat(lab.count(3, "sniffed")).isPositive();
  }

  @Test
  void lockStartsFromACleanSlateAndIsIdempotent() {
    // An earlier VM with the same vif name and another MAC left its lock behind.
    VifPolicy stale = VifPolicy.of(lab.vif(1), MacAddress.of("00:16:3e:aa:bb:cc"), Ipv4Address.of("192.0.2.200"));
    as.lock(stale);
    assertThat(lab.ping(1, lab.ip(2))).as("the stale lock blocks the new VM").isFalse();

    lockAll();
    assertThat(as.status(lab.vif(1)).policy()).contains(lab.policy(1));
    assertThat(lab.ping(1, lab.ip(2))).isTrue();
    Ruleset once = as.ruleset();
    lockAll();
    assertThat(as.ruleset()).isEqualTo(once);
    assertThat(as.statusAll()).extracting(VifStatus::vif).containsExactly(lab.vif(1), lab.vif(2), lab.vif(3));
  }

  @Test
  void unlockRemovesWhatLockAddedAndNothingElse() {
    addAdminRule(lab);
    Ruleset before = as.ruleset();
    lockAll();
    assertThat(as.ruleset()).isNotEqualTo(before);
    as.unlock(lab.vif(1), lab.vif(2), lab.vif(3));
    Ruleset after = as.ruleset();
    for (Table t : before.tables()) {
      assertThat(after.table(t.family(), t.name())).as(t.name()).contains(t);
    }
    assertThat(as.statusAll()).isEmpty();
    // Unlocking again changes nothing and does not fail.
    assertThat(as.unlock(lab.vif(1)).succeeded()).isTrue();
  }

  @Test
  void concurrentLocksAreSerialisedAndNoneIsLost() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<PlanReport>> futures = new ArrayList<>();
      for (int i = 10; i < 18; i++) {
        VifPolicy p = VifPolicy.of(InterfaceName.of("vif" + i + ".0"), MacAddress.of("00:16:3e:00:01:" + i),
            Ipv4Address.of("192.0.2." + (100 + i)));
        futures.add(pool.submit(() -> AntiSpoofing.on(lab.host, backend()).lock(p)));
      }
      for (Future<PlanReport> f : futures) {
        assertThat(f.get().succeeded()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    List<VifStatus> all = as.statusAll();
    assertThat(all).hasSize(8).allMatch(VifStatus::isLocked);
  }
}
