package dev.midplane.sysfs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Wwid;
import dev.midplane.sysfs.FcRemotePort;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.Wwn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of array operations (present, grow, unmap, cut and restore a path, time
 * passing) interleaved with the SDK's scan, rescan and delete: after every step the host's
 * topology is consistent with the array, everything the host was told to look at matches the
 * array's truth, and after a final rescan of everything the topology is exactly that truth.
 */
class SanPropertiesTest {
  sealed interface Op {}

  record Present(int lun, int hbas) implements Op {}

  record Grow(int lun, int extraGib) implements Op {}

  record Unmap(int lun, int hbas) implements Op {}

  record Cut(int hba, int port) implements Op {}

  record Restore(int hba, int port) implements Op {}

  record Scan(int hba) implements Op {}

  record Rescan(int pick) implements Op {}

  record Delete(int pick) implements Op {}

  record Advance(int seconds) implements Op {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Integer> lun = Arbitraries.integers().between(0, 2);
    Arbitrary<Integer> hbas = Arbitraries.integers().between(1, 3);
    Arbitrary<Integer> hba = Arbitraries.integers().between(0, 1);
    Arbitrary<Integer> port = Arbitraries.integers().between(0, 1);
    Arbitrary<Integer> pick = Arbitraries.integers().between(0, 100);
    Arbitrary<Op> op = Arbitraries.oneOf(
        Combinators.combine(lun, hbas).as(Present::new),
        Combinators.combine(lun, Arbitraries.integers().between(1, 4)).as(Grow::new),
        Combinators.combine(lun, hbas).as(Unmap::new),
        Combinators.combine(hba, port).as(Cut::new),
        Combinators.combine(hba, port).as(Restore::new),
        hba.map(Scan::new), hba.map(Scan::new), hba.map(Scan::new),
        pick.map(Rescan::new), pick.map(Rescan::new),
        pick.map(Delete::new),
        Arbitraries.of(1, 5, 30, 61).map(Advance::new));
    return op.list().ofMinSize(1).ofMaxSize(30);
  }

  @Property(tries = 100)
  void theHostSeesTheArraysTruthForEverythingItLookedAt(@ForAll("operations") List<Op> ops) {
    try (ScratchTree scratch = new ScratchTree("san-prop")) {
      Path dir = scratch.dir;
      run(dir, ops);
    }
  }

  private void run(Path dir, List<Op> ops) {
    SimulatedSan san = SimulatedSan.create();
    List<Wwid> luns = List.of(san.createLun(1L << 30), san.createLun(2L << 30), san.createLun(3L << 30));
    SimulatedKernel k = SimulatedKernel.bareBlade(dir, HostName.of("blade1"), san);
    Sysfs sysfs = Sysfs.on(k.host());
    List<Wwn> hbas = k.scsi().initiatorPorts();
    for (Op op : ops) {
      Topology before = storage(sysfs);
      if (op instanceof Present p) {
        san.present(luns.get(p.lun()), chosen(hbas, p.hbas()));
      } else if (op instanceof Grow g) {
        san.grow(luns.get(g.lun()), san.lun(luns.get(g.lun())).orElseThrow().sizeBytes() + ((long) g.extraGib() << 30));
      } else if (op instanceof Unmap u) {
        san.unmap(luns.get(u.lun()), chosen(hbas, u.hbas()));
      } else if (op instanceof Cut c) {
        san.cutPath(hbas.get(c.hba()), port(san, c.hba(), c.port()));
      } else if (op instanceof Restore r) {
        san.restorePath(hbas.get(r.hba()), port(san, r.hba(), r.port()));
      } else if (op instanceof Scan sc) {
        sysfs.scan(sc.hba() + 1);
        assertScanned(storage(sysfs), san, hbas.get(sc.hba()), sc.hba() + 1);
      } else if (op instanceof Rescan r && !before.paths().isEmpty()) {
        ScsiPath p = before.paths().get(r.pick() % before.paths().size());
        sysfs.rescan(p.device());
        assertRescanned(storage(sysfs), san, hbas, p);
      } else if (op instanceof Delete d && !before.paths().isEmpty()) {
        ScsiPath p = before.paths().get(d.pick() % before.paths().size());
        sysfs.delete(p.device());
        assertThat(storage(sysfs).path(p.hctl())).isEmpty();
      } else if (op instanceof Advance a) {
        san.advance(Duration.ofSeconds(a.seconds()));
      }
      assertConsistent(storage(sysfs), san, hbas, luns, op);
    }
    // settle: mend the fabric, drop what the array no longer presents, look at everything
    for (int h = 0; h < 2; h++) {
      for (int p = 0; p < 2; p++) {
        san.restorePath(hbas.get(h), port(san, h, p));
      }
    }
    for (ScsiPath p : storage(sysfs).paths()) {
      Wwn init = hbas.get(p.hctl().host() - 1);
      if (san.lun(p.wwid().orElseThrow()).orElseThrow().maskedTo().stream().noneMatch(init::equals)) {
        sysfs.delete(p.device());
      }
    }
    sysfs.scan(1);
    sysfs.scan(2);
    storage(sysfs).paths().forEach(p -> sysfs.rescan(p.device()));
    Topology t = storage(sysfs);
    Set<List<Object>> seen = new HashSet<>();
    for (ScsiPath p : t.paths()) {
      FcRemotePort r = rportOf(t, p);
      seen.add(List.of(hbas.get(p.hctl().host() - 1), r.portName(), p.hctl().lun(), p.wwid().orElseThrow(), p.sizeBytes()));
      assertThat(p.isRunning()).isTrue();
    }
    Set<List<Object>> truth = new HashSet<>();
    for (Wwn h : hbas) {
      san.presentedTo(h).forEach(x -> truth.add(List.of(x.initiator(), x.target(), x.lunId(), x.wwid(), x.sizeBytes())));
    }
    assertThat(seen).isEqualTo(truth);
  }

  private static Topology storage(Sysfs s) {
    return s.discover().network(false).call();
  }

  private static List<Wwn> chosen(List<Wwn> hbas, int mask) {
    return Stream.of(0, 1).filter(i -> (mask & (1 << i)) != 0).map(hbas::get).toList();
  }

  /** The array's target port number {@code p} on the fabric of HBA {@code hba} (A for 0, B for 1). */
  private static Wwn port(SimulatedSan san, int hba, int p) {
    String fabric = hba == 0 ? "A" : "B";
    return san.targetPorts().stream().filter(x -> x.fabric().equals(fabric)).toList().get(p).wwpn();
  }

  private static FcRemotePort rportOf(Topology t, ScsiPath p) {
    return t.remotePorts().stream().filter(r -> r.name().equals(p.remotePort().orElseThrow())).findFirst().orElseThrow();
  }

  /** After a scan, every LUN presented through a reachable port of this HBA is there and running. */
  private static void assertScanned(Topology t, SimulatedSan san, Wwn init, int host) {
    for (SimulatedSan.Presented x : san.presentedTo(init)) {
      FcRemotePort r = t.remotePorts().stream().filter(rp -> rp.hostNumber() == host && rp.portName().equals(x.target()))
          .findFirst().orElseThrow();
      ScsiPath p = t.path(Hctl.of(host, 0, r.scsiTargetId().orElseThrow(), x.lunId()))
          .orElseThrow(() -> new AssertionError("scan did not add " + x));
      assertThat(p.wwid()).contains(x.wwid());
      assertThat(p.isRunning()).isTrue();
    }
  }

  /** After a rescan of a path whose LUN is still reachable there, its size is the array's. */
  private static void assertRescanned(Topology t, SimulatedSan san, List<Wwn> hbas, ScsiPath before) {
    ScsiPath p = t.path(before.hctl()).orElseThrow();
    Wwn init = hbas.get(p.hctl().host() - 1);
    FcRemotePort r = rportOf(t, p);
    boolean present = san.presentedTo(init).stream()
        .anyMatch(x -> x.target().equals(r.portName()) && x.lunId() == p.hctl().lun());
    if (present && p.state().equals("running")) {
      assertThat(p.sizeBytes()).isEqualTo(san.lun(p.wwid().orElseThrow()).orElseThrow().sizeBytes());
    }
  }

  private static void assertConsistent(Topology t, SimulatedSan san, List<Wwn> hbas, List<Wwid> luns, Op after) {
    Set<String> names = new HashSet<>();
    for (ScsiPath p : t.paths()) {
      assertThat(names.add(p.device().value())).as("unique device names after " + after).isTrue();
      SimulatedSan.Lun lun = san.luns().stream().filter(l -> l.lunId() == p.hctl().lun()).findFirst().orElseThrow();
      assertThat(p.wwid()).as("the LUN at this address after " + after).contains(lun.wwid());
      long created = (luns.indexOf(lun.wwid()) + 1L) << 30;
      assertThat(p.sizeBytes()).as("sizes only grow, and never beyond the array's").isBetween(created, lun.sizeBytes());
      FcRemotePort r = rportOf(t, p);
      assertThat(r.hostNumber()).isEqualTo(p.hctl().host());
      boolean reachable = san.reachable(hbas.get(p.hctl().host() - 1), r.portName());
      assertThat(r.isOnline()).as("rport online iff reachable after " + after).isEqualTo(reachable);
      if (!reachable) {
        assertThat(p.state()).as("a cut path never runs, after " + after).isIn("blocked", "transport-offline");
      } else {
        assertThat(p.state()).isEqualTo("running");
      }
    }
    assertThat(t.paths()).extracting(ScsiPath::hctl).doesNotHaveDuplicates().isSorted();
    assertThat(t.skipped()).isEmpty();
  }
}
