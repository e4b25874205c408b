package dev.midplane.sysfs.sim;

import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Wwid;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Linux's {@code scsi_debug} driver as the simulated kernel has it: the module parameters that shape
 * the topology, and a preset machine with nothing but scsi_debug's hosts — the real-kernel lab's
 * guest as the simulation sees it, so the two can be compared path by path.
 *
 * <p>The driver keeps one RAM store for all its hosts ({@code per_host_store=0}) and, with
 * {@code vpd_use_hostno=0} (always, here), every host reports the same LUN identity: one LUN seen
 * through {@link #addHost()} SCSI hosts, which multipath groups into one map. As in
 * {@code drivers/scsi/scsi_debug.c}:
 *
 * <ul>
 *   <li>hosts sit on the pseudo bus: {@code /sys/devices/pseudo_0/adapterN/hostM/targetM:0:T/M:0:T:L};
 *       no FC transport, {@code proc_name} {@code scsi_debug};
 *   <li>INQUIRY {@code Linux}/{@code scsi_debug}/{@code 0191} with TPGS set; the device id is
 *       {@code 2000 + 1000·target + lun}, so LUN 0 of target 0 is the T10 designator
 *       {@code Linux scsi_debug 2000} (udev's {@code ID_SERIAL} {@code 1Linux_scsi_debug_2000}) and
 *       the NAA {@code 0x33333330000007d0} (sysfs {@code wwid} {@code naa.33333330000007d0});
 *   <li>REPORT TARGET PORT GROUPS answers the access state {@code host_no % 3}: host 0
 *       active/optimized, host 1 active/non-optimized, host 2 standby — visible in
 *       {@code access_state} once {@code scsi_dh_alua} is attached ({@link #aluaHandler()});
 *   <li>{@code /sys/bus/pseudo/drivers/scsi_debug/virtual_gb}, when written, gives every LUN that
 *       capacity (GiB), seen by a host after a {@code rescan}; {@code add_host} adds hosts (positive
 *       count) or removes the newest ones (negative).
 * </ul>
 *
 * @param addHost how many SCSI hosts to add ({@code add_host}, at least 1)
 * @param numTgts targets per host ({@code num_tgts}, at least 1)
 * @param maxLuns LUNs per target ({@code max_luns}, at least 1)
 * @param devSizeMb each LUN's size in MiB ({@code dev_size_mb}) until {@code virtual_gb} is set
 * @param aluaHandler whether {@code scsi_dh_alua} is loaded before the driver, so it attaches to
 *     each device ({@code dh_state} {@code alua}, {@code access_state} readable); without it
 *     {@code dh_state} is {@code detached} and there is no access state
 */
public record SimulatedScsiDebug(int addHost, int numTgts, int maxLuns, long devSizeMb, boolean aluaHandler) {
  /** The first device id; LUN (target, lun) is {@code FIRST_ID + 1000·target + lun}. */
  static final int FIRST_ID = 2000;
  static final String VENDOR = "Linux";
  static final String PRODUCT = "scsi_debug";
  static final String REVISION = "0191";
  /** ALUA access state by {@code host_no % 3}, as scsi_debug's REPORT TARGET PORT GROUPS answers. */
  static final String[] ACCESS_STATES = {"active/optimized", "active/non-optimized", "standby"};

  public SimulatedScsiDebug {
    if (addHost < 1 || numTgts < 1 || maxLuns < 1 || devSizeMb < 1) {
      throw new IllegalArgumentException("add_host, num_tgts, max_luns and dev_size_mb must be >= 1");
    }
    if (numTgts > 1000 || maxLuns > 1000) {
      throw new IllegalArgumentException("at most 1000 targets and 1000 LUNs per target keep device ids unique");
    }
  }

  /**
   * The lab's configuration: {@code modprobe scsi_dh_alua} then {@code modprobe scsi_debug
   * add_host=2 num_tgts=1 max_luns=1 dev_size_mb=64 vpd_use_hostno=0} — one 64 MiB LUN on two
   * SCSI hosts, as a multipath host sees it.
   */
  public static SimulatedScsiDebug lab() {
    return new SimulatedScsiDebug(2, 1, 1, 64, true);
  }

  /** The same driver loaded before any device handler: {@code access_state} tells nothing. */
  public SimulatedScsiDebug withoutDeviceHandler() {
    return new SimulatedScsiDebug(addHost, numTgts, maxLuns, devSizeMb, false);
  }

  /**
   * A machine with udev running and only this driver's SCSI hosts ({@code host0} …), their LUNs
   * scanned as loading the module scans them; no FC HBA, no NIC.
   */
  public SimulatedKernel boot(Path root, HostName name) {
    SimulatedKernel k = SimulatedKernel.create(root, name, SimulatedSan.create());
    k.scsi().loadScsiDebug(this);
    return k;
  }

  /** The WWID multipath uses for LUN {@code lun} of target {@code target}: {@code 1Linux_scsi_debug_2000} for 0/0. */
  public static Wwid wwid(int target, long lun) {
    return Wwid.of("1" + VENDOR + "_" + PRODUCT + "_" + deviceId(target, lun));
  }

  /** The kernel's sysfs {@code wwid} of that LUN: {@code naa.33333330000007d0} for 0/0. */
  public static String sysfsWwid(int target, long lun) {
    return String.format(Locale.ROOT, "naa.3333333%09x", deviceId(target, lun));
  }

  static long deviceId(int target, long lun) {
    return FIRST_ID + 1000L * target + lun;
  }

  /** The capacity of every LUN: {@code virtual_gb} GiB when set, else {@code dev_size_mb} MiB. */
  long sizeBytes(int virtualGb) {
    return virtualGb > 0 ? (long) virtualGb << 30 : devSizeMb << 20;
  }
}
