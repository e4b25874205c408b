package dev.midplane.xen.chassis;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.files.AtomicFiles;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.xen.VifNames;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * VM profiles in the shared directory: one domain config per VM, in the xl dialect, with every
 * earlier version kept. Any host can start a VM from its profile.
 *
 * <pre>
 * &lt;shared&gt;/domains/vm1.cfg                 the current version
 * &lt;shared&gt;/domains/.history/vm1/1.cfg       earlier versions, numbered from 1
 * &lt;shared&gt;/domains/.history/vm1/2.cfg
 * </pre>
 *
 * The current version's number is one more than the history's highest. Saving writes the old
 * version into the history first, then the new one over it, each atomically; saving what is
 * already current changes nothing. The history directory starts with a dot so that tools which read
 * every file of {@code domains/} (as xendomains reads {@code /etc/xen/auto}) skip it.
 *
 * <p>{@link #save} gives every vif without one a stable {@code vifname=} ({@link VifNames}) and
 * refuses a profile whose vif names another profile already uses, so that each name locks the
 * interfaces of one VM only. Changes are serialised between threads and, through a lock file,
 * between processes.
 */
public final class Profiles {
  private final Path dir;
  private final Path history;
  private final SharedLock lock;

  Profiles(Path sharedDirectory, SharedLock lock) {
    this.dir = sharedDirectory.resolve("domains");
    this.history = dir.resolve(".history");
    this.lock = lock;
  }

  /** The directory of the current profiles. */
  public Path directory() {
    return dir;
  }

  /**
   * Saves {@code config} as the VM's current profile and returns it. An unchanged config returns
   * the current profile without writing.
   *
   * @throws IllegalArgumentException when a vif name is used by another VM's profile, is too long,
   *     or two vifs share one
   */
  public VmProfile save(DomainConfig config) {
    DomainConfig c = VifNames.assign(config.toDialect(Dialect.XL));
    DomainName vm = c.name();
    try (SharedLock.Held l = lock.acquire()) {
      List<InterfaceName> mine = c.vifs().stream().map(v -> v.vifname().orElseThrow()).toList();
      for (VmProfile other : all()) {
        if (other.name().equals(vm)) {
          continue;
        }
        for (VifSpec v : other.config().vifs()) {
          if (v.vifname().isPresent() && mine.contains(v.vifname().get())) {
            throw new IllegalArgumentException("vifname " + v.vifname().get() + " of " + vm + " is already used by the profile of "
                + other.name() + "; each vif name locks one VM's interface");
          }
        }
      }
      Optional<VmProfile> current = get(vm);
      if (current.isPresent() && current.get().config().equals(c)) {
        return current.get();
      }
      int version = 1;
      if (current.isPresent()) {
        version = current.get().version() + 1;
        Path old = history.resolve(vm.value()).resolve(current.get().version() + ".cfg");
        mkdirs(old.getParent());
        AtomicFiles.write(old, current.get().config().render(), AtomicFiles.NO_BACKUP);
      } else {
        version = versions(vm).stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
      }
      mkdirs(dir);
      AtomicFiles.write(file(vm), c.render(), AtomicFiles.NO_BACKUP);
      return new VmProfile(vm, version, c);
    }
  }

  /** The VM's current profile, if it has one. */
  public Optional<VmProfile> get(DomainName vm) {
    Path f = file(vm);
    String text;
    try {
      text = Files.readString(f, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new MidplaneException("cannot read the profile " + f + ": " + e.getMessage(), e);
    }
    DomainConfig c = DomainConfig.parse(text, Dialect.XL, f.toString());
    if (!c.name().equals(vm)) {
      throw new MidplaneException("the profile " + f + " names the domain " + c.name() + ", not " + vm);
    }
    int version = versions(vm).stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    return Optional.of(new VmProfile(vm, version, c));
  }

  /** The VM's current profile; {@link NotFoundException} when it has none. */
  public VmProfile require(DomainName vm) {
    return get(vm).orElseThrow(() -> new NotFoundException("VM profile", vm.value(), "no " + file(vm)));
  }

  /** The config of an earlier (or the current) version. */
  public DomainConfig version(DomainName vm, int version) {
    Optional<VmProfile> current = get(vm);
    if (current.isPresent() && current.get().version() == version) {
      return current.get().config();
    }
    Path f = history.resolve(vm.value()).resolve(version + ".cfg");
    try {
      return DomainConfig.parse(Files.readString(f, StandardCharsets.UTF_8), Dialect.XL, f.toString());
    } catch (NoSuchFileException e) {
      throw new NotFoundException("version of VM profile", vm + " " + version, "versions kept: " + versions(vm)
          + current.map(p -> ", current " + p.version()).orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The numbers of the versions in the history (not the current one), ascending. */
  public List<Integer> versions(DomainName vm) {
    Path h = history.resolve(vm.value());
    if (!Files.isDirectory(h)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(h)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{1,9}\\.cfg"))
          .map(n -> Integer.parseInt(n.substring(0, n.length() - 4))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The VMs that have a profile, by name. */
  public List<DomainName> names() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cfg"))
          .map(n -> n.substring(0, n.length() - 4)).filter(DomainName::isValid).map(DomainName::of).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every current profile. */
  public List<VmProfile> all() {
    List<VmProfile> out = new ArrayList<>();
    for (DomainName n : names()) {
      get(n).ifPresent(out::add);
    }
    return out;
  }

  /** Retires the VM's profile: its current version joins the history, so the history stays whole. */
  public void remove(DomainName vm) {
    try (SharedLock.Held l = lock.acquire()) {
      VmProfile p = require(vm);
      Path old = history.resolve(vm.value()).resolve(p.version() + ".cfg");
      mkdirs(old.getParent());
      AtomicFiles.write(old, p.config().render(), AtomicFiles.NO_BACKUP);
      Files.delete(file(vm));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path file(DomainName vm) {
    return dir.resolve(Objects.requireNonNull(vm, "vm").value() + ".cfg");
  }

  private static void mkdirs(Path d) {
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "VM profiles in " + dir;
  }
}
