package dev.midplane.sysfs;

import dev.midplane.core.names.InterfaceName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The contents of {@code /proc/net/vlan/config} ({@code net/8021q/vlanproc.c}): the name type
 * and one line per 802.1Q device, {@code %-15s| %d  | %s}.
 *
 * <pre>
 * VLAN Dev name	 | VLAN ID
 * Name-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD
 * bond0.100      | 100  | bond0
 * </pre>
 *
 * The file exists only while the 8021q module is loaded; without it a host has no VLAN devices.
 */
public record VlanConfig(String nameType, List<VlanDevice> devices) {
  private static final String SOURCE = "/proc/net/vlan/config";
  /** The header line, with the tab the kernel prints. */
  public static final String HEADER = "VLAN Dev name\t | VLAN ID";
  /** The name type every current kernel uses unless changed with vconfig. */
  public static final String DEFAULT_NAME_TYPE = "VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD";

  public VlanConfig {
    Objects.requireNonNull(nameType, "nameType");
    devices = List.copyOf(devices);
  }

  /**
   * Parses the file.
   *
   * @throws SysfsParseException with the line number when a line is not in the kernel's format
   */
  public static VlanConfig parse(String text) {
    List<String> lines = new ArrayList<>(text.replace("\r\n", "\n").lines().toList());
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty() || !lines.get(0).replace('\t', ' ').replaceAll(" +", " ").equals("VLAN Dev name | VLAN ID")) {
      throw new SysfsParseException(SOURCE, 1, lines.isEmpty() ? null : lines.get(0), "expected the header '" + HEADER + "'");
    }
    if (lines.size() < 2 || !lines.get(1).startsWith("Name-Type: ")) {
      throw new SysfsParseException(SOURCE, 2, lines.size() < 2 ? null : lines.get(1), "expected 'Name-Type: ...'");
    }
    String nameType = lines.get(1).substring("Name-Type: ".length()).strip();
    List<VlanDevice> devices = new ArrayList<>();
    for (int i = 2; i < lines.size(); i++) {
      String l = lines.get(i);
      String[] parts = l.split("\\|", -1);
      if (parts.length != 3) {
        throw new SysfsParseException(SOURCE, i + 1, l, "expected '<device> | <id> | <parent>'");
      }
      try {
        InterfaceName dev = InterfaceName.of(parts[0].strip());
        int id = Integer.parseInt(parts[1].strip());
        InterfaceName parent = InterfaceName.of(parts[2].strip());
        devices.add(new VlanDevice(dev, id, parent));
      } catch (RuntimeException e) {
        throw new SysfsParseException(SOURCE, i + 1, l, e.getMessage());
      }
    }
    return new VlanConfig(nameType, devices);
  }

  /** The file's text as the kernel prints it. */
  public String render() {
    StringBuilder b = new StringBuilder(HEADER).append('\n').append("Name-Type: ").append(nameType).append('\n');
    for (VlanDevice d : devices) {
      b.append(String.format(Locale.ROOT, "%-15s| %d  | %s\n", d.name().value(), d.id(), d.parent().value()));
    }
    return b.toString();
  }

  public Optional<VlanDevice> device(InterfaceName name) {
    return devices.stream().filter(d -> d.name().equals(name)).findFirst();
  }
}
