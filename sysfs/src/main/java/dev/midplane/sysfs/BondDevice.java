package dev.midplane.sysfs;

import dev.midplane.core.MidplaneStyle;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** A bond as {@code /sys/class/net/bondN/bonding/} shows it. Times are in milliseconds. */
@Value.Immutable
@MidplaneStyle
public abstract class BondDevice {
  public abstract InterfaceName name();

  public abstract BondMode mode();

  /** {@code mii_status}: whether the bond has carrier (an up slave). */
  public abstract boolean miiUp();

  public abstract Optional<InterfaceName> activeSlave();

  public abstract Optional<InterfaceName> primary();

  public abstract PrimaryReselect primaryReselect();

  public abstract int miimon();

  public abstract int updelay();

  public abstract int downdelay();

  public abstract int arpInterval();

  public abstract List<Ipv4Address> arpIpTargets();

  public abstract ArpValidate arpValidate();

  public abstract FailOverMac failOverMac();

  /** The slaves in enslavement order ({@code bonding/slaves}) with their {@code bonding_slave/} state. */
  public abstract List<BondSlave> slaves();

  public Optional<BondSlave> slave(InterfaceName n) {
    return slaves().stream().filter(s -> s.name().equals(n)).findFirst();
  }

  /** True when link monitoring is on: MII ({@code miimon} &gt; 0) or ARP with at least one target. */
  public boolean monitored() {
    return miimon() > 0 || (arpInterval() > 0 && !arpIpTargets().isEmpty());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Immutables builder. */
  public static final class Builder extends ImmutableBondDevice.Builder {}
}
