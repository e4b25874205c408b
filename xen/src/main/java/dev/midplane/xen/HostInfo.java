package dev.midplane.xen;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.immutables.value.Value;

/**
 * What {@code xl info} / {@code xm info} say about a Xen host: its name, memory (MiB), CPUs, the
 * hypervisor's version and capabilities. {@link #attributes()} keeps every line, in order, for
 * what has no accessor.
 */
@Value.Immutable
public abstract class HostInfo {
  /** {@code host}: the host name dom0 reports. */
  public abstract String hostName();

  /** {@code release}: dom0's kernel release. */
  public abstract Optional<String> release();

  /** {@code machine}: {@code x86_64}. */
  public abstract Optional<String> machine();

  /** {@code nr_cpus}: physical CPUs. */
  public abstract int nrCpus();

  /** {@code total_memory}, MiB. */
  public abstract long totalMemoryMib();

  /** {@code free_memory}, MiB: what a new or incoming domain can get. */
  public abstract long freeMemoryMib();

  /** {@code xen_version}, or {@code xen_major.xen_minor} + {@code xen_extra} where it is not printed (xm). */
  public abstract String xenVersion();

  /** {@code xen_caps}: {@code xen-3.0-x86_64 hvm-3.0-x86_32 ...}. */
  public abstract List<String> xenCaps();

  /**
   * {@code virt_caps}: what the hypervisor can do for guests ({@code pv hvm hap shadow gnttab-v1
   * ...} in Xen 4.17); empty when not printed.
   */
  public abstract Optional<Set<String>> virtCaps();

  /** {@code xen_scheduler}: {@code credit}, {@code credit2}. */
  public abstract Optional<String> xenScheduler();

  /** {@code xen_commandline}: the hypervisor's boot options ({@code dom0_mem=...}). */
  public abstract Optional<String> xenCommandline();

  /** {@code xend_config_format}. */
  public abstract OptionalInt xendConfigFormat();

  /** Every {@code key : value} line as printed, in order. */
  public abstract Map<String, String> attributes();

  @Value.Check
  protected void check() {
    if (totalMemoryMib() < 0 || freeMemoryMib() < 0 || nrCpus() < 0) {
      throw new IllegalArgumentException("negative memory or CPU count in " + this);
    }
  }

  /**
   * Whether the hypervisor can track a guest's dirty pages, which live migration needs: a PV guest
   * needs shadow paging, a PVH or HVM guest hardware-assisted paging (or shadow). Answered from
   * {@code virt_caps} as Xen 4.17 prints it ({@code pv hvm hap shadow ...}); empty when this host's
   * output does not tell (older Xen listed no paging modes).
   *
   * <p>From a real run: Debian's Xen 4.17 is built without shadow paging, its {@code virt_caps}
   * lacks {@code shadow}, and {@code xl migrate} of a PV guest fails with "Failed to enable
   * logdirty".
   *
   * @param guestType {@code pv}, {@code pvh} or {@code hvm}
   */
  public Optional<Boolean> canMigrateLive(String guestType) {
    Optional<Set<String>> caps = virtCaps();
    if (caps.isEmpty() || !caps.get().contains("pv")) {
      return Optional.empty();
    }
    return switch (guestType) {
      case "pv" -> Optional.of(caps.get().contains("shadow"));
      case "pvh", "hvm" -> Optional.of(caps.get().contains("hap") || caps.get().contains("shadow"));
      default -> throw new IllegalArgumentException("guest type is pv, pvh or hvm: " + guestType);
    };
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link HostInfo}. */
  public static final class Builder extends ImmutableHostInfo.Builder {}
}
