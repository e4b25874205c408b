package dev.midplane.examples.cli;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.chassis.Chassis;
import dev.midplane.core.names.HostName;
import dev.midplane.examples.demo.Demo;
import dev.midplane.examples.demo.DemoChassis;
import dev.midplane.ssh.SshTarget;
import dev.midplane.xen.chassis.XenChassis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The blades a chassis command acts on: by default the embedded simulated chassis, populated as
 * the demo leaves it after starting its VMs (web01 and db01 on blade1); with {@code --host} real
 * blades reached over SSH, each {@code NAME=[USER@]ADDRESS[:PORT]}. The same checks and the same
 * migration code run on both.
 */
final class Blades {
  private static final Pattern HOST = Pattern.compile("([^=]+)=(?:([^@]+)@)?([^:@]+)(?::(\\d{1,5}))?");

  @Option(names = "--host", paramLabel = "NAME=[USER@]ADDRESS[:PORT]",
      description = "A blade reached over SSH (repeat for each); default: the embedded simulated chassis.")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--identity", paramLabel = "FILE",
      description = "SSH private key (repeatable; default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, those that exist).")
  List<Path> identities = new ArrayList<>();

  @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default ~/.ssh/known_hosts).")
  Path knownHosts;

  @Option(names = "--shared", paramLabel = "DIR",
      description = "With --host: the directory every blade mounts, holding VM profiles and the placement file.")
  Path shared;

  /** Connected blades; closing them ends the sessions or deletes the embedded chassis. */
  record Connected(List<Host> hosts, Path shared, AutoCloseable resources, String description) implements AutoCloseable {
    /** Xen across the blades, with profiles and placement in the shared directory. */
    XenChassis xen() {
      return XenChassis.of(Chassis.of(hosts), shared);
    }

    Host host(HostName name, String option) {
      return hosts.stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow(() -> new BadInputException(
          option + " " + name + ": no such blade; the blades are " + hosts.stream().map(Host::name).toList()));
    }

    @Override
    public void close() {
      try {
        resources.close();
      } catch (Exception e) {
        throw new MidplaneException("closing " + description + " failed", e);
      }
    }
  }

  /** The identities given, or the user's usual ones that exist. */
  private List<Path> identities() {
    if (!identities.isEmpty()) {
      for (Path p : identities) {
        if (!java.nio.file.Files.isReadable(p)) {
          throw new BadInputException("--identity " + p + ": no such readable file");
        }
      }
      return identities;
    }
    Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
    return java.util.stream.Stream.of("id_ed25519", "id_ecdsa", "id_rsa").map(ssh::resolve)
        .filter(java.nio.file.Files::isReadable).toList();
  }

  /** Parses {@code --host} values; bad ones are bad input naming the value. */
  List<SshTarget> targets() {
    List<SshTarget> out = new ArrayList<>();
    List<Matcher> specs = new ArrayList<>();
    for (String h : hosts) {
      Matcher m = HOST.matcher(h);
      if (!m.matches() || !HostName.isValid(m.group(1))) {
        throw new BadInputException("--host " + h + ": expected NAME=[USER@]ADDRESS[:PORT], e.g. blade2=root@192.0.2.12");
      }
      specs.add(m);
    }
    if (specs.isEmpty()) {
      return out;
    }
    if (shared == null || !java.nio.file.Files.isDirectory(shared)) {
      throw new BadInputException("--shared " + (shared == null ? "is needed with --host" : shared + ": no such directory")
          + ": the directory every blade mounts, with the VM profiles and the placement file");
    }
    List<Path> keys = identities();
    if (keys.isEmpty()) {
      throw new BadInputException("no SSH identity: give --identity FILE (only key authentication is supported)");
    }
    for (Matcher m : specs) {
      String h = m.group();
      SshTarget.Builder b = SshTarget.builder(m.group(3)).name(HostName.of(m.group(1))).addAllIdentities(keys);
      if (m.group(2) != null) {
        b.user(m.group(2));
      }
      if (m.group(4) != null) {
        int port = Integer.parseInt(m.group(4));
        if (port < 1 || port > 65535) {
          throw new BadInputException("--host " + h + ": port " + port + " is not 1-65535");
        }
        b.port(port);
      }
      if (knownHosts != null) {
        b.knownHosts(knownHosts);
      }
      try {
        out.add(b.build());
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new BadInputException("--host " + h + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** Connects to the blades (or builds the embedded chassis). */
  Connected connect() {
    if (hosts.isEmpty()) {
      DemoChassis c = Demo.prepared();
      return new Connected(c.hosts(), c.shared(), c, "the embedded chassis");
    }
    List<SshTarget> targets = targets();
    List<Host> connected = new ArrayList<>();
    try {
      for (SshTarget t : targets) {
        connected.add(t.connect());
      }
    } catch (RuntimeException e) {
      connected.forEach(Host::close);
      throw e;
    }
    return new Connected(connected, shared, () -> connected.forEach(Host::close), "the SSH sessions");
  }
}
