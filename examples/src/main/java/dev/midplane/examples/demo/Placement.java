package dev.midplane.examples.demo;

import dev.midplane.core.Host;
import dev.midplane.core.ParseException;
import dev.midplane.core.files.AtomicFiles;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.xen.Xen;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DomainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each VM belongs, kept in the shared directory every blade mounts: {@code placement} holds
 * one {@code vm host} line per VM ({@code #} comments), and {@code vms/<vm>.cfg} each VM's config.
 * After a reboot a blade starts exactly the VMs placed on it that run nowhere else.
 *
 * <p>This stands in for the xen module's placement until that ships; the demo uses it.
 */
public final class Placement {
  /** What {@link #startAllFor} did: the VMs it started, and why it left the others alone. */
  public record Started(List<DomainName> started, Map<DomainName, String> skipped) {}

  private final Path file;
  private final Path configs;

  private Placement(Path shared) {
    this.file = shared.resolve("placement");
    this.configs = shared.resolve("vms");
  }

  /** The placement kept in {@code shared}. */
  public static Placement in(Path shared) {
    return new Placement(shared);
  }

  /** Where each VM config of {@code vm} lives. */
  public Path configOf(DomainName vm) {
    return configs.resolve(vm.value() + ".cfg");
  }

  /** Writes {@code config} as the VM's profile (atomically, previous one kept as {@code .bak}). */
  public void saveConfig(DomainConfig config) {
    try {
      Files.createDirectories(configs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config.write(configOf(config.name()));
  }

  /**
   * VM → host, in file order.
   *
   * @throws ParseException naming the line when a line is not {@code vm host}
   */
  public Map<DomainName, HostName> read() {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<DomainName, HostName> out = new LinkedHashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).replaceAll("#.*", "").strip();
      if (l.isEmpty()) {
        continue;
      }
      String[] w = l.split("\\s+");
      if (w.length != 2 || !DomainName.isValid(w[0]) || !HostName.isValid(w[1])) {
        throw ParseException.atLine(file.toString(), text, i + 1, "expected 'vm host'");
      }
      out.put(DomainName.of(w[0]), HostName.of(w[1]));
    }
    return out;
  }

  /** Places {@code vm} on {@code host} (rewrites the file atomically). */
  public void place(DomainName vm, HostName host) {
    Map<DomainName, HostName> all = new LinkedHashMap<>(read());
    all.put(vm, host);
    StringBuilder b = new StringBuilder("# midplane placement: vm host\n");
    all.forEach((v, h) -> b.append(v).append(' ').append(h).append('\n'));
    AtomicFiles.write(file, b.toString());
  }

  /** The host {@code vm} is placed on. */
  public Optional<HostName> hostOf(DomainName vm) {
    return Optional.ofNullable(read().get(vm));
  }

  /**
   * Starts on {@code host} every VM placed there that runs on none of {@code all} (the host
   * included): a VM is never started twice.
   */
  public Started startAllFor(Host host, Collection<Host> all) {
    List<DomainName> started = new ArrayList<>();
    Map<DomainName, String> skipped = new LinkedHashMap<>();
    for (Map.Entry<DomainName, HostName> e : read().entrySet()) {
      if (!e.getValue().equals(host.name())) {
        continue;
      }
      Optional<HostName> running = all.stream().filter(h -> Xen.on(h).domain(e.getKey()).exists())
          .map(Host::name).findFirst();
      if (running.isPresent()) {
        skipped.put(e.getKey(), "already running on " + running.get());
        continue;
      }
      Xen.on(host).create(DomainConfig.read(configOf(e.getKey()), Dialect.XL));
      started.add(e.getKey());
    }
    return new Started(started, skipped);
  }
}
