package dev.midplane.xen;

import dev.midplane.core.names.DomainName;
import dev.midplane.xen.config.ConfigValue;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.VifSpec;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A domain's configuration as the toolstack holds it while the domain runs: from {@code xl list
 * -l} (JSON), {@code xm list --long} or the S-expression form of old {@code xl list -l}. Disks
 * and interfaces come as the same {@link DiskSpec} and {@link VifSpec} values a config file holds,
 * so the two can be compared.
 *
 * <p>The formats differ in what they carry: xm reports the state and CPU time, xl does not; a
 * field a format lacks is empty.
 */
@Value.Immutable
public abstract class DomainDetails {
  /** Which output this came from. */
  public enum Source {
    /** {@code xl list -l}, JSON (Xen 4.2 and later). */
    XL_JSON,
    /** {@code xl list -l} of Xen 4.1, S-expressions. */
    XL_SXP,
    /** {@code xm list --long}. */
    XM_SXP
  }

  public abstract Source source();

  /** The domain id; empty for an inactive domain xend manages. */
  public abstract OptionalInt domid();

  /** The name as printed. */
  public abstract String rawName();

  public abstract Optional<String> uuid();

  /** {@code pv}, {@code pvh} or {@code hvm}. */
  public abstract Optional<String> guestType();

  /** The most memory the domain may have, KiB. */
  public abstract OptionalLong maxMemoryKib();

  /** The memory the domain is given, KiB. */
  public abstract OptionalLong targetMemoryKib();

  /** The number of virtual CPUs. */
  public abstract OptionalInt vcpus();

  public abstract Optional<String> kernel();

  public abstract Optional<String> ramdisk();

  /** The kernel command line. */
  public abstract Optional<String> cmdline();

  /** The bootloader ({@code pygrub}) for guests that boot their own kernel. */
  public abstract Optional<String> bootloader();

  /** What happens when the guest powers off ({@code destroy}, {@code restart}, ...). */
  public abstract Optional<String> onPoweroff();

  /** What happens when the guest reboots. */
  public abstract Optional<String> onReboot();

  /** What happens when the guest crashes ({@code preserve} keeps it for a core dump). */
  public abstract Optional<String> onCrash();

  /** State flags (xm only). */
  public abstract Optional<Set<DomainState>> state();

  /** CPU seconds used (xm only). */
  public abstract Optional<Double> cpuSeconds();

  /** Disks in device order. */
  public abstract List<DiskSpec> disks();

  /** Network interfaces in device order. */
  public abstract List<VifSpec> nics();

  /** The name, when it is a valid {@link DomainName}. */
  public Optional<DomainName> name() {
    return DomainName.isValid(rawName()) ? Optional.of(DomainName.of(rawName())) : Optional.empty();
  }

  /** The target memory in MiB, rounded down. */
  public OptionalLong memoryMib() {
    return targetMemoryKib().isPresent() ? OptionalLong.of(targetMemoryKib().getAsLong() / 1024) : OptionalLong.empty();
  }

  /**
   * The running configuration as a config file in {@code dialect}: name, guest type ({@code type}
   * in xl, {@code builder = 'hvm'} in xm), memory and {@code maxmem} (when larger) in MiB, vcpus,
   * kernel, ramdisk, {@code extra}, bootloader, disks, interfaces and the {@code on_*} actions —
   * what it takes to create the domain again elsewhere.
   *
   * @throws IllegalStateException when the name is not a valid {@link DomainName} (a dying
   *     {@code (null)} domain)
   */
  public DomainConfig toConfig(Dialect dialect) {
    DomainName n = name().orElseThrow(() -> new IllegalStateException("no valid domain name: " + rawName()));
    DomainConfig c = DomainConfig.empty(dialect).withName(n);
    if (guestType().isPresent()) {
      if (dialect == Dialect.XL) {
        c = c.with("type", ConfigValue.string(guestType().get()));
      } else if (guestType().get().equals("hvm")) {
        c = c.with("builder", ConfigValue.string("hvm"));
      }
    }
    if (memoryMib().isPresent()) {
      c = c.withMemoryMib(memoryMib().getAsLong());
      long max = maxMemoryKib().orElse(0) / 1024;
      if (max > memoryMib().getAsLong()) {
        c = c.with("maxmem", ConfigValue.number(max));
      }
    }
    if (vcpus().isPresent()) {
      c = c.withVcpus(vcpus().getAsInt());
    }
    for (var e : List.of(java.util.Map.entry("kernel", kernel()), java.util.Map.entry("ramdisk", ramdisk()),
        java.util.Map.entry("extra", cmdline()), java.util.Map.entry("bootloader", bootloader()),
        java.util.Map.entry("on_poweroff", onPoweroff()), java.util.Map.entry("on_reboot", onReboot()),
        java.util.Map.entry("on_crash", onCrash()))) {
      if (e.getValue().isPresent()) {
        c = c.with(e.getKey(), ConfigValue.string(e.getValue().get()));
      }
    }
    return c.withDisks(disks()).withVifs(nics());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link DomainDetails}. */
  public static final class Builder extends ImmutableDomainDetails.Builder {}
}
