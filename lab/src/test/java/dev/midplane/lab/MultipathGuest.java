package dev.midplane.lab;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.Multipath;
import dev.midplane.multipath.backend.BackendFixture;
import dev.midplane.multipath.dm.DmInfo;
import dev.midplane.multipath.topology.MultipathPath;
import dev.midplane.multipath.topology.PathState;
import dev.midplane.sysfs.sim.SimulatedScsiDebug;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The lab guest as a multipath host: scsi_debug's LUN ({@code 1Linux_scsi_debug_2000}) on two
 * SCSI hosts, {@code dm-multipath} and {@code scsi_dh_alua} loaded, {@code /etc/multipath.conf}
 * written from a LUN inventory (every WWID blacklisted until a map is created) and a real
 * multipathd running. Also the backend contracts' {@link BackendFixture} once {@link #withMap()}
 * made the map {@code vm-test}.
 */
final class MultipathGuest implements BackendFixture {
  static final Wwid LUN = SimulatedScsiDebug.wwid(0, 0);
  static final MultipathAlias ALIAS = MultipathAlias.of("vm-test");
  static final Duration SETTLE = Duration.ofSeconds(60);
  static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

  private final Host host;
  private final Multipath multipath;

  private MultipathGuest(Host host, Multipath multipath) {
    this.host = host;
    this.multipath = multipath;
  }

  /**
   * Loads the modules and scsi_debug ({@code add_host=2 num_tgts=1 max_luns=1 dev_size_mb=64
   * vpd_use_hostno=0}), writes the blacklist-everything configuration of an empty inventory kept
   * at {@code inventory} (a file of this JVM) and starts multipathd.
   */
  static MultipathGuest prepare(Host host, Path inventory) {
    run(host, "modprobe", "dm-multipath");
    run(host, "modprobe", "scsi_dh_alua");
    run(host, "modprobe", "scsi_debug", "add_host=2", "num_tgts=1", "max_luns=1", "dev_size_mb=64", "vpd_use_hostno=0");
    run(host, "udevadm", "settle", "--timeout=60");
    Multipath mp = Multipath.on(host).withInventory(inventory).withDeadline(SETTLE).withSettleTime(Duration.ofSeconds(2));
    mp.configure().apply();
    // multipathd forks into the background; its output goes to a file so the SSH channel closes
    run(host, "bash", "-c", "multipathd </dev/null >/tmp/multipathd.out 2>&1");
    Poll.until("multipathd running", SETTLE, Poll.REAL_TIME, () -> mp.tools().daemonRunning(), r -> r);
    return new MultipathGuest(host, mp);
  }

  /** Makes the map {@code vm-test} of the LUN through {@link Multipath#create}. */
  MultipathGuest withMap() {
    multipath.create(ALIAS, LUN).call();
    return this;
  }

  Multipath multipath() {
    return multipath;
  }

  /** Stops multipathd (the maps stay). */
  void stop() {
    host.run(Command.builder("multipathd", "shutdown").timeout(TOOL_TIMEOUT).build());
  }

  @Override
  public Host host() {
    return host;
  }

  @Override
  public Wwid lun() {
    return LUN;
  }

  @Override
  public MultipathAlias alias() {
    return ALIAS;
  }

  @Override
  public int pathCount() {
    return 2;
  }

  @Override
  public boolean daemonRunning() {
    return true;
  }

  /** The map back as the suites expect it: present, resumed, no inactive table, both paths active. */
  @Override
  public void reset() {
    MapName name = MapName.of(ALIAS);
    Optional<DmInfo> info = multipath.deviceMapper().info(name);
    if (info.isEmpty()) {
      multipath.tools().createMap(LUN);
      info = Poll.until("map " + ALIAS + " back", SETTLE, Poll.REAL_TIME, () -> multipath.deviceMapper().info(name),
          Optional::isPresent);
    }
    if (info.orElseThrow().inactive()) {
      multipath.deviceMapper().clear(name);
    }
    if (info.orElseThrow().suspended()) {
      multipath.deviceMapper().resume(name);
    }
    for (MultipathPath p : multipath.tools().topology(name).orElseThrow().paths()) {
      if (p.dmState() != PathState.ACTIVE) {
        multipath.tools().reinstatePath(p.device().orElseThrow());
      }
    }
    Poll.until("map " + ALIAS + " with both paths active", SETTLE, Poll.REAL_TIME,
        () -> multipath.tools().topology(name).orElseThrow().paths(),
        ps -> ps.size() == 2 && ps.stream().allMatch(p -> p.dmState() == PathState.ACTIVE));
  }

  /** A process of the guest holds the map open until closed, then is ended by its PID. */
  @Override
  public AutoCloseable holdOpen() {
    String pid = host.execute(Command.builder("bash", "-c",
        "sleep 120 3</dev/mapper/" + ALIAS.value() + " </dev/null >/dev/null 2>&1 & echo $!").timeout(TOOL_TIMEOUT).build())
        .stdout().strip();
    if (!pid.matches("[0-9]+")) {
      throw new IllegalStateException("no PID from the guest's shell: " + pid);
    }
    MapName name = MapName.of(ALIAS);
    Poll.until(ALIAS + " open", SETTLE, Poll.REAL_TIME, () -> multipath.deviceMapper().info(name).orElseThrow(),
        DmInfo::isOpen);
    return () -> {
      run(host, "kill", pid);
      Poll.until(ALIAS + " closed", SETTLE, Poll.REAL_TIME, () -> multipath.deviceMapper().info(name).orElseThrow(),
          i -> !i.isOpen());
    };
  }

  static void run(Host host, String... argv) {
    host.execute(Command.builder(argv).timeout(TOOL_TIMEOUT).build());
  }
}
