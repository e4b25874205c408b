package dev.midplane.sysfs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One entry of udev's database, {@code /run/udev/data/b<major>:<minor>} for a block device: the
 * file systemd-udevd writes after processing the device's uevent and that libudev (and so
 * multipath-tools) reads. One record per line, a letter and a colon: {@code S:} a symlink under
 * {@code /dev}, {@code L:} its priority, {@code W:} the inotify watch, {@code I:} when the device
 * was initialized (µs), {@code E:KEY=value} a property, {@code G:}/{@code Q:} tags, {@code V:} the
 * format version.
 *
 * <p>multipath-tools identifies a path by the property named by its {@code uid_attribute},
 * {@code ID_SERIAL} by default, so {@link #property(String) property("ID_SERIAL")} is the WWID
 * multipath uses. The kernel's sysfs {@code wwid} can differ (scsi_debug:
 * {@code naa.33333330000007d0} versus {@code 1Linux_scsi_debug_2000}).
 */
public final class UdevEntry {
  /** One record of the entry. */
  public record Line(char type, String value) {
    public Line {
      Objects.requireNonNull(value, "value");
    }
  }

  private final List<Line> lines;
  private final Map<String, String> properties;

  private UdevEntry(List<Line> lines) {
    this.lines = List.copyOf(lines);
    Map<String, String> p = new LinkedHashMap<>();
    for (Line l : this.lines) {
      if (l.type() == 'E') {
        int eq = l.value().indexOf('=');
        p.putIfAbsent(l.value().substring(0, eq), l.value().substring(eq + 1));
      }
    }
    this.properties = Collections.unmodifiableMap(p);
  }

  /**
   * Parses an entry.
   *
   * @param source the file name for error messages
   * @throws SysfsParseException when a line is not {@code <letter>:<value>} or an {@code E:} line has no {@code =}
   */
  public static UdevEntry parse(String text, String source) {
    List<Line> out = new ArrayList<>();
    String[] raw = text.split("\n", -1);
    int n = raw.length;
    if (n > 0 && raw[n - 1].isEmpty()) {
      n--;
    }
    for (int i = 0; i < n; i++) {
      String l = raw[i];
      if (l.length() < 2 || l.charAt(1) != ':' || !Character.isLetter(l.charAt(0))) {
        throw new SysfsParseException(source, i + 1, l, "expected '<letter>:<value>'");
      }
      if (l.charAt(0) == 'E' && l.indexOf('=') < 3) {
        throw new SysfsParseException(source, i + 1, l, "expected 'E:KEY=value'");
      }
      if (l.charAt(0) == 'I' && (l.length() == 2 || l.length() > 21 || !l.substring(2).chars().allMatch(Character::isDigit))) {
        throw new SysfsParseException(source, i + 1, l, "expected 'I:<microseconds>'");
      }
      out.add(new Line(l.charAt(0), l.substring(2)));
    }
    return new UdevEntry(out);
  }

  /** The file's text. */
  public String render() {
    StringBuilder b = new StringBuilder(lines.size() * 32);
    for (Line l : lines) {
      b.append(l.type()).append(':').append(l.value()).append('\n');
    }
    return b.toString();
  }

  public List<Line> lines() {
    return lines;
  }

  /** The {@code E:} properties in file order (the first wins if a key repeats). */
  public Map<String, String> properties() {
    return properties;
  }

  public Optional<String> property(String key) {
    return Optional.ofNullable(properties.get(key));
  }

  /** The {@code S:} symlinks, relative to {@code /dev} ({@code disk/by-id/wwn-0x…}). */
  public List<String> symlinks() {
    return lines.stream().filter(l -> l.type() == 'S').map(Line::value).toList();
  }

  /** {@code I:}, when udev finished the device's first event. */
  public OptionalLong initializedUsec() {
    return lines.stream().filter(l -> l.type() == 'I').mapToLong(l -> Long.parseLong(l.value())).findFirst();
  }

  /** Starts an entry in the order systemd-udevd 252 writes one. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UdevEntry e && e.lines.equals(lines);
  }

  @Override
  public int hashCode() {
    return lines.hashCode();
  }

  @Override
  public String toString() {
    return "UdevEntry" + properties;
  }

  /** Collects records and writes them in udevd's order: S, L, W, I, E, G, Q, V. */
  public static final class Builder {
    private final List<String> symlinks = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> tags = new ArrayList<>();
    private long initializedUsec;
    private int watch = -1;

    private Builder() {}

    public Builder symlink(String relativeToDev) {
      symlinks.add(relativeToDev);
      return this;
    }

    public Builder property(String key, String value) {
      if (key.isEmpty() || key.indexOf('=') >= 0 || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("bad udev property " + key + "=" + value);
      }
      properties.put(key, value);
      return this;
    }

    public Builder tag(String tag) {
      tags.add(tag);
      return this;
    }

    public Builder initializedUsec(long usec) {
      initializedUsec = usec;
      return this;
    }

    public Builder watch(int handle) {
      watch = handle;
      return this;
    }

    public UdevEntry build() {
      List<Line> l = new ArrayList<>();
      symlinks.forEach(s -> l.add(new Line('S', s)));
      if (watch >= 0) {
        l.add(new Line('W', Integer.toString(watch)));
      }
      if (initializedUsec > 0) {
        l.add(new Line('I', Long.toString(initializedUsec)));
      }
      properties.forEach((k, v) -> l.add(new Line('E', k + "=" + v)));
      tags.forEach(t -> l.add(new Line('G', t)));
      tags.forEach(t -> l.add(new Line('Q', t)));
      l.add(new Line('V', "1"));
      return new UdevEntry(l);
    }
  }
}
