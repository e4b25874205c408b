package dev.midplane.xen.chassis;

import dev.midplane.core.ParseException;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which host each VM belongs on: the file {@code placement} of the shared directory, one VM per
 * line, {@code <vm> <host>}, {@code #} comments and blank lines allowed. An immutable value:
 * {@link #with} and {@link #without} return changed copies.
 *
 * <pre>
 * # VM      host
 * vm1       blade1
 * web01     blade2
 * </pre>
 */
public final class PlacementMap {
  private static final String HEADER = "# midplane placement: <vm> <host>, one per line; the host starts the VM at boot\n";
  private final Map<DomainName, HostName> entries;

  private PlacementMap(Map<DomainName, HostName> entries) {
    this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  public static PlacementMap empty() {
    return new PlacementMap(Map.of());
  }

  public static PlacementMap of(Map<DomainName, HostName> entries) {
    return new PlacementMap(entries);
  }

  /**
   * Parses the file's text.
   *
   * @throws ParseException naming the line for a line that is not two names, a name that is not a
   *     valid domain or host name, or a VM placed twice
   */
  public static PlacementMap parse(String text, String source) {
    Map<DomainName, HostName> m = new TreeMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      String body = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (body.isEmpty()) {
        continue;
      }
      String[] f = body.split("\\s+");
      if (f.length != 2) {
        throw new ParseException(source, i + 1, line, "expected '<vm> <host>', found " + f.length + " fields");
      }
      if (!DomainName.isValid(f[0])) {
        throw new ParseException(source, i + 1, line, "'" + f[0] + "' is not a valid domain name");
      }
      if (!HostName.isValid(f[1])) {
        throw new ParseException(source, i + 1, line, "'" + f[1] + "' is not a valid host name");
      }
      if (m.put(DomainName.of(f[0]), HostName.of(f[1])) != null) {
        throw new ParseException(source, i + 1, line, f[0] + " is placed twice");
      }
    }
    return new PlacementMap(m);
  }

  /** The file's text: a header comment and one aligned line per VM, by VM name. */
  public String render() {
    StringBuilder b = new StringBuilder(HEADER);
    int width = entries.keySet().stream().mapToInt(d -> d.value().length()).max().orElse(0);
    entries.forEach((vm, host) -> b.append(String.format("%-" + width + "s %s%n", vm.value(), host.value())));
    return b.toString();
  }

  /** Every VM and its host, by VM name. */
  public Map<DomainName, HostName> entries() {
    return entries;
  }

  public Optional<HostName> hostOf(DomainName vm) {
    return Optional.ofNullable(entries.get(vm));
  }

  /** The VMs placed on {@code host}, by name. */
  public List<DomainName> vmsOn(HostName host) {
    return entries.entrySet().stream().filter(e -> e.getValue().equals(host)).map(Map.Entry::getKey).toList();
  }

  public PlacementMap with(DomainName vm, HostName host) {
    Map<DomainName, HostName> m = new TreeMap<>(entries);
    m.put(Objects.requireNonNull(vm, "vm"), Objects.requireNonNull(host, "host"));
    return new PlacementMap(m);
  }

  public PlacementMap without(DomainName vm) {
    Map<DomainName, HostName> m = new TreeMap<>(entries);
    m.remove(vm);
    return new PlacementMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlacementMap p && p.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
