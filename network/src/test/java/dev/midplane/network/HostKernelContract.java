package dev.midplane.network;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import java.time.Duration;
import java.util.Objects;

/**
 * The backend contract on a real kernel reached through a {@link Host} — the lab's guest, whose
 * kernel has bonding and 802.1q: veths are made and flipped with {@code ip} outside the SDK, and
 * the kernel's link monitors act on their own time. A subclass calls {@link #use} once the host is
 * there (in a {@code @BeforeAll}) and runs every test of the contract on it.
 */
public abstract class HostKernelContract extends LinkBackendContract {
  private Host host;
  private Network network;

  /**
   * Runs the contract on {@code host} through {@code backend}, once the kernel modules it needs
   * (bonding, 8021q, bridge) are loaded there.
   */
  protected void use(Host host, Network.Backend backend) {
    this.host = Objects.requireNonNull(host, "host");
    for (String module : new String[] {"bonding", "8021q", "bridge"}) {
      host.execute(Command.builder("modprobe", module).timeout(Duration.ofSeconds(60)).build());
    }
    this.network = Network.on(host, backend);
  }

  @Override
  protected Network network() {
    return Objects.requireNonNull(network, "use(host, backend) was not called");
  }

  @Override
  protected void addVethPair(String a, String b) {
    host.execute("ip", "link", "add", n(a).value(), "type", "veth", "peer", "name", n(b).value());
  }

  @Override
  protected void setUp(String device, boolean up) {
    host.execute("ip", "link", "set", "dev", n(device).value(), up ? "up" : "down");
  }

  @Override
  protected void deleteQuietly(String device) {
    if (network.link(n(device)).isPresent()) {
      host.execute(Command.of("ip", "link", "del", "dev", n(device).value()));
    }
  }

  @Override
  protected void tick() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the kernel", e);
    }
  }
}
