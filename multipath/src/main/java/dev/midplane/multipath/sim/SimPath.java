package dev.midplane.multipath.sim;

import dev.midplane.core.Host;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.topology.CheckerState;
import dev.midplane.multipath.topology.DeviceState;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import dev.midplane.sysfs.UdevEntry;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedScsi;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A SCSI path as multipath-tools' path discovery sees it: the block device, its address, the
 * identifier udev recorded ({@code ID_SERIAL}, multipath's {@code uid_attribute}; absent without
 * udev, so such a path is never used), the size, the sysfs state, the INQUIRY identity, whether
 * the LUN supports ALUA (TPGS) and what its target port group answers, and whether a TEST UNIT
 * READY succeeds now (the {@code tur} checker).
 */
record SimPath(BlockDeviceName dev, DevNumber number, Hctl hctl, Optional<Wwid> uid, long sizeBytes, String sysfsState,
    String vendor, String product, String revision, boolean tpgs, Optional<String> alua, boolean responsive) {

  /** Every SCSI disk of the kernel, as multipath would read it now. */
  static List<SimPath> read(SimulatedKernel kernel) {
    Host host = kernel.host();
    List<SimPath> out = new ArrayList<>();
    for (SimulatedScsi.Disk d : kernel.scsi().disks()) {
      Optional<Wwid> uid = Optional.empty();
      if (kernel.udevRunning()) {
        try {
          String key = d.dev().udevBlockKey();
          uid = UdevEntry.parse(Files.readString(host.path("/run/udev/data/" + key)), key).property("ID_SERIAL")
              .filter(Wwid::isValid).map(Wwid::of);
        } catch (IOException | RuntimeException e) {
          // udev has no record (yet, or any more): multipath cannot identify the path
        }
      }
      boolean tpgs = false;
      try {
        byte[] inq = Files.readAllBytes(host.path("/sys/block/" + d.name().value() + "/device/inquiry"));
        tpgs = inq.length > 5 && (inq[5] & 0x30) != 0;
      } catch (IOException e) {
        continue; // the device vanished meanwhile
      }
      out.add(new SimPath(d.name(), d.dev(), d.hctl(), uid, d.sizeBytes(), d.state(), d.vendor(), d.model(), d.revision(),
          tpgs, kernel.scsi().targetPortGroupState(d.name()), kernel.scsi().isResponsive(d.name())));
    }
    return out;
  }

  /**
   * What the {@code tur} checker finds: a blocked device is pending (the command waits in the
   * queue), one that answers is ready, anything else faulty.
   */
  CheckerState checker() {
    if (sysfsState.equals("blocked")) {
      return CheckerState.PENDING;
    }
    return responsive ? CheckerState.READY : CheckerState.FAULTY;
  }

  /** The device state multipath prints: offline for {@code offline} and {@code transport-offline}. */
  DeviceState deviceState() {
    return sysfsState.equals("offline") || sysfsState.equals("transport-offline") ? DeviceState.OFFLINE
        : DeviceState.RUNNING;
  }

  /**
   * The priority: the {@code alua} prioritizer's (active/optimized 50, active/non-optimized 10,
   * standby 1, anything else 0) when the LUN supports ALUA and {@code alua} is asked for, else the
   * {@code const} prioritizer's 1. A path that is down has priority 0, as multipath prints it.
   */
  int priority(boolean aluaPrio) {
    if (!checker().usable()) {
      return 0;
    }
    if (!aluaPrio || alua.isEmpty()) {
      return 1;
    }
    return switch (alua.get()) {
      case "active/optimized" -> 50;
      case "active/non-optimized" -> 10;
      case "standby" -> 1;
      default -> 0;
    };
  }
}
