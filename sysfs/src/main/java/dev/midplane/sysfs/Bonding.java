package dev.midplane.sysfs;

import dev.midplane.core.Host;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.files.AttributeWriteException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The bonding driver's sysfs interface ({@code Documentation/networking/bonding.rst}, "Configuring
 * Bonding Manually via Sysfs"): each method is one write, and a refusal is an
 * {@link AttributeWriteException} with the attribute, the value and the kernel's errno — for
 * example {@code EPERM} when enslaving a device that is up, {@code EINVAL} for an
 * {@code active_slave} that is not a slave, {@code ENOTEMPTY}-worded ("Directory not empty") for a
 * mode change while slaves are attached, {@code EEXIST} for a bond that exists.
 *
 * <p>Obtain it with {@link Sysfs#bonding()}.
 */
public final class Bonding {
  private final Host host;

  Bonding(Host host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  /** {@code +bond} to {@code /sys/class/net/bonding_masters}. */
  public void createBond(InterfaceName bond) {
    host.writeAttribute("/sys/class/net/bonding_masters", "+" + bond.value());
  }

  /**
   * {@code -bond} to {@code /sys/class/net/bonding_masters}. Refuses, before writing anything, to
   * delete a bond that is in use: one with slaves, one that is a port of a bridge or the device
   * below a VLAN — every reason found is listed.
   *
   * @throws UnsafeOperationException when the bond is in use
   * @throws NotFoundException when there is no such bond
   */
  public void deleteBond(InterfaceName bond) {
    List<String> reasons = new ArrayList<>();
    read(bond, "slaves").ifPresent(sl -> reasons.add(bond + " has slaves: " + sl));
    Path dir = host.path("/sys/class/net/" + bond.value());
    try {
      Path master = dir.resolve("master");
      if (Files.isSymbolicLink(master)) {
        reasons.add(bond + " is a port of " + Files.readSymbolicLink(master).getFileName());
      }
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "upper_*")) {
        for (Path p : s) {
          String upper = p.getFileName().toString().substring("upper_".length());
          if (!Files.isSymbolicLink(master) || !upper.equals(Files.readSymbolicLink(master).getFileName().toString())) {
            reasons.add(upper + " is built on " + bond);
          }
        }
      }
    } catch (IOException e) {
      throw new SysfsReadException(host, "/sys/class/net/" + bond.value(), e);
    }
    if (!reasons.isEmpty()) {
      throw new UnsafeOperationException("delete bond " + bond + " on " + host.name(), reasons);
    }
    host.writeAttribute("/sys/class/net/bonding_masters", "-" + bond.value());
  }

  /** Deletes a bond whatever uses it: its slaves are released (and closed) by the kernel. */
  public void deleteBondEvenIfInUse(InterfaceName bond) {
    host.writeAttribute("/sys/class/net/bonding_masters", "-" + bond.value());
  }

  /** {@code +slave} to {@code bonding/slaves}; the kernel refuses a slave that is up ({@code EPERM}). */
  public void enslave(InterfaceName bond, InterfaceName slave) {
    write(bond, "slaves", "+" + slave.value());
  }

  /**
   * {@code -slave} to {@code bonding/slaves}. Refuses, before writing anything, to release the
   * active slave of a bond that is up: traffic would stop until the bond picks another one.
   *
   * @throws UnsafeOperationException when {@code slave} is the active slave of an up bond
   */
  public void release(InterfaceName bond, InterfaceName slave) {
    Optional<String> active = read(bond, "active_slave");
    boolean up = (readFlags(bond) & 0x1) != 0;
    if (up && active.filter(slave.value()::equals).isPresent()) {
      throw new UnsafeOperationException("release " + slave + " from " + bond,
          slave + " is the active slave of " + bond + ", which is up; make another slave active first");
    }
    write(bond, "slaves", "-" + slave.value());
  }

  /** Releases a slave whatever its role. */
  public void releaseEvenIfActive(InterfaceName bond, InterfaceName slave) {
    write(bond, "slaves", "-" + slave.value());
  }

  /** Makes {@code slave} the active slave ({@code EINVAL} when it is not a slave or its link is down). */
  public void setActiveSlave(InterfaceName bond, InterfaceName slave) {
    write(bond, "active_slave", slave.value());
  }

  /** Only while the bond is down and has no slaves. */
  public void setMode(InterfaceName bond, BondMode mode) {
    write(bond, "mode", mode.option());
  }

  /** MII monitoring interval in ms; a non-zero value turns the ARP monitor off, as in the kernel. */
  public void setMiimon(InterfaceName bond, int ms) {
    write(bond, "miimon", Integer.toString(requireNonNegative(ms)));
  }

  public void setUpdelay(InterfaceName bond, int ms) {
    write(bond, "updelay", Integer.toString(requireNonNegative(ms)));
  }

  public void setDowndelay(InterfaceName bond, int ms) {
    write(bond, "downdelay", Integer.toString(requireNonNegative(ms)));
  }

  /** ARP monitoring interval in ms; a non-zero value turns MII monitoring off, as in the kernel. */
  public void setArpInterval(InterfaceName bond, int ms) {
    write(bond, "arp_interval", Integer.toString(requireNonNegative(ms)));
  }

  public void addArpIpTarget(InterfaceName bond, Ipv4Address target) {
    write(bond, "arp_ip_target", "+" + target);
  }

  public void removeArpIpTarget(InterfaceName bond, Ipv4Address target) {
    write(bond, "arp_ip_target", "-" + target);
  }

  public void setArpValidate(InterfaceName bond, ArpValidate v) {
    write(bond, "arp_validate", v.option());
  }

  /** Sets the primary slave, or clears it with an empty value. */
  public void setPrimary(InterfaceName bond, Optional<InterfaceName> primary) {
    write(bond, "primary", primary.map(InterfaceName::value).orElse(""));
  }

  public void setPrimaryReselect(InterfaceName bond, PrimaryReselect p) {
    write(bond, "primary_reselect", p.option());
  }

  /** Only while the bond has no slaves. */
  public void setFailOverMac(InterfaceName bond, FailOverMac f) {
    write(bond, "fail_over_mac", f.option());
  }

  private void write(InterfaceName bond, String attribute, String value) {
    host.writeAttribute("/sys/class/net/" + bond.value() + "/bonding/" + attribute, value);
  }

  private Optional<String> read(InterfaceName bond, String attribute) {
    try {
      String v = Files.readString(host.path("/sys/class/net/" + bond.value() + "/bonding/" + attribute)).strip();
      return v.isEmpty() ? Optional.empty() : Optional.of(v);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("bond", bond.value(), "no /sys/class/net/" + bond + "/bonding on " + host.name());
    } catch (IOException e) {
      throw new SysfsReadException(host, "/sys/class/net/" + bond.value() + "/bonding/" + attribute, e);
    }
  }

  private int readFlags(InterfaceName bond) {
    String p = "/sys/class/net/" + bond.value() + "/flags";
    try {
      return Integer.decode(Files.readString(host.path(p)).strip());
    } catch (IOException | NumberFormatException e) {
      throw new SysfsReadException(host, p, e);
    }
  }

  private static int requireNonNegative(int v) {
    if (v < 0) {
      throw new IllegalArgumentException("must be >= 0: " + v);
    }
    return v;
  }
}
