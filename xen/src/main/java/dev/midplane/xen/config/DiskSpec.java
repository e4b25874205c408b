package dev.midplane.xen.config;

import dev.midplane.core.names.MultipathAlias;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One item of a domain's {@code disk} list (xl-disk-configuration(5)), in either form:
 *
 * <ul>
 *   <li>{@link Form#POSITIONAL}, the xm-era form xl still reads:
 *       {@code phy:/dev/mapper/vm1,xvda,w}, {@code tap:aio:/srv/vm1.img,xvda,w},
 *       {@code file:/iso/d.iso,hdc:cdrom,r}, {@code ,hdc:cdrom,r} (an empty CD-ROM drive), and with a
 *       format {@code /dev/vg/vm1,raw,xvda,rw};
 *   <li>{@link Form#KEY_VALUE}: {@code format=raw, vdev=xvda, access=rw, target=/dev/mapper/vm1},
 *       where {@code target} comes last and takes the rest of the text, commas included.
 * </ul>
 *
 * The legacy prefix of a target ({@code phy:}, {@code file:}, {@code tap:aio:}, or a block-script
 * name such as {@code drbd:}) is kept apart from the path. Keys and flags this class does not model
 * ({@code discard}, {@code direct-io-safe}, {@code colo-port=…}) are kept in order as
 * {@link #extras()}. {@code parse(s.toString()).equals(s)} holds for every spec.
 */
public final class DiskSpec {
  /** How the spec is written. */
  public enum Form {
    /** Comma-separated positional parameters, as xm wrote them. */
    POSITIONAL,
    /** {@code key=value} parameters, {@code target=} last. */
    KEY_VALUE
  }

  /** The access mode. */
  public enum Access {
    /** {@code r} / {@code ro}. */
    READ_ONLY("r", "ro"),
    /** {@code w} / {@code rw}. */
    READ_WRITE("w", "rw"),
    /** {@code w!}: writable even though another domain has the disk writable (cluster file systems). */
    SHARED_WRITE("w!", "w!");

    private final String positional;
    private final String keyValue;

    Access(String positional, String keyValue) {
      this.positional = positional;
      this.keyValue = keyValue;
    }

    /** How xm and the positional form write it: {@code r}, {@code w}, {@code w!}. */
    public String positional() {
      return positional;
    }

    static Optional<Access> of(String s) {
      return switch (s) {
        case "r", "ro" -> Optional.of(READ_ONLY);
        case "w", "rw" -> Optional.of(READ_WRITE);
        case "w!", "rw!" -> Optional.of(SHARED_WRITE);
        default -> Optional.empty();
      };
    }
  }

  /** What the guest sees. */
  public enum DeviceType {
    DISK, CDROM
  }

  private static final Set<String> KNOWN_PREFIXES = Set.of(
      "phy", "file", "tap", "tap2", "tapdisk", "aio", "qcow", "qcow2", "vhd", "raw", "qed", "ioemu");
  /** The formats xl-disk-configuration(5) names; a second of three positional parameters that is one of them is a format. */
  private static final Set<String> KNOWN_FORMATS = Set.of("raw", "qcow", "qcow2", "vhd", "qed", "empty");
  private static final Set<String> FLAGS = Set.of(
      "cdrom", "discard", "no-discard", "direct-io-safe", "trusted", "untrusted", "colo");
  private static final Pattern VDEV = Pattern.compile("(ioemu:)?[A-Za-z0-9]+");
  private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
  private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]*(:[a-z][a-z0-9]*)*");
  private static final Pattern EXTRA_KEY = Pattern.compile("[a-z][a-z0-9_-]*");
  private static final Pattern SCRIPT = Pattern.compile("[^,\\s]+");

  private final Form form;
  private final String prefix;
  private final String target;
  private final String format;
  private final String vdev;
  private final DeviceType deviceType;
  private final Access access;
  private final String backend;
  private final String backendType;
  private final String script;
  private final List<String> extras;

  private DiskSpec(Builder b) {
    this.form = Objects.requireNonNull(b.form, "form");
    this.vdev = Objects.requireNonNull(b.vdev, "vdev");
    if (!VDEV.matcher(vdev).matches() || Access.of(vdev).isPresent()) {
      throw new IllegalArgumentException("invalid vdev '" + vdev + "' (e.g. xvda, hdc, sdb1)");
    }
    this.prefix = b.prefix;
    if (prefix != null && !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("invalid target prefix '" + prefix + "' (e.g. phy, file, tap:aio)");
    }
    this.target = b.target;
    if (target != null) {
      if (target.isEmpty() || !target.equals(target.strip())) {
        throw new IllegalArgumentException("the target must not be empty or start or end with spaces: '" + target + "'");
      }
      if (target.chars().anyMatch(c -> c == 0 || c == '\n' || c == '\r')) {
        throw new IllegalArgumentException("the target must not contain NUL or line breaks");
      }
      if (form == Form.POSITIONAL && (target.indexOf(',') >= 0 || target.indexOf('=') >= 0)) {
        throw new IllegalArgumentException("a positional target cannot contain ',' or '=': " + target);
      }
      String[] split = splitPrefix(prefix == null ? target : prefix + ":" + target);
      if (!Objects.equals(split[0], prefix) || !split[1].equals(target)) {
        throw new IllegalArgumentException("the target '" + (prefix == null ? "" : prefix + ":") + target
            + "' would read back as prefix '" + split[0] + "' and target '" + split[1] + "'");
      }
    } else if (prefix != null) {
      throw new IllegalArgumentException("a prefix needs a target");
    }
    this.format = check(b.format, WORD, "format");
    this.deviceType = b.deviceType;
    this.access = b.access;
    this.backend = check(b.backend, DOMAIN, "backend");
    this.backendType = check(b.backendType, WORD, "backendtype");
    this.script = check(b.script, SCRIPT, "script");
    this.extras = List.copyOf(b.extras);
    for (String x : extras) {
      String key = x.contains("=") ? x.substring(0, x.indexOf('=')) : x;
      String value = x.contains("=") ? x.substring(x.indexOf('=') + 1) : "";
      if (!EXTRA_KEY.matcher(key).matches() || x.indexOf(',') >= 0 || x.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
          || !value.equals(value.strip()) || (!x.contains("=") && !FLAGS.contains(x))) {
        throw new IllegalArgumentException("invalid extra disk parameter '" + x + "'");
      }
      if (key.equals("target") || key.equals("vdev") || key.equals("format") || key.equals("access")
          || key.equals("devtype") || key.equals("backend") || key.equals("backendtype") || key.equals("script")
          || x.equals("cdrom")) {
        throw new IllegalArgumentException("'" + key + "' is a modelled parameter, not an extra");
      }
    }
  }

  private static String check(String v, Pattern p, String what) {
    if (v != null && !p.matcher(v).matches()) {
      throw new IllegalArgumentException("invalid " + what + " '" + v + "'");
    }
    return v;
  }

  /** {@code phy:<devicePath>,<vdev>,<access>}: a block device, in the form both toolstacks read. */
  public static DiskSpec phy(String devicePath, String vdev, Access access) {
    return new Builder().form(Form.POSITIONAL).prefix("phy").target(devicePath).vdev(vdev).access(access).build();
  }

  /** {@code phy:/dev/mapper/<alias>,<vdev>,<access>}: a multipath device, as every VM disk in this SDK is. */
  public static DiskSpec multipath(MultipathAlias alias, String vdev, Access access) {
    return phy("/dev/mapper/" + alias.value(), vdev, access);
  }

  /** A builder, {@link Form#KEY_VALUE} unless set otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.form = form;
    b.prefix = prefix;
    b.target = target;
    b.format = format;
    b.vdev = vdev;
    b.deviceType = deviceType;
    b.access = access;
    b.backend = backend;
    b.backendType = backendType;
    b.script = script;
    b.extras.addAll(extras);
    return b;
  }

  /**
   * Parses one disk spec in either form.
   *
   * @throws IllegalArgumentException naming what is wrong (no vdev, a parameter given twice, too
   *     many positional parameters, an invalid access mode)
   */
  public static DiskSpec parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    List<String> positional = new ArrayList<>();
    Map<String, String> keys = new LinkedHashMap<>();
    List<String> extras = new ArrayList<>();
    boolean cdromFlag = false;
    int i = 0;
    while (i <= spec.length()) {
      int comma = spec.indexOf(',', i);
      String item = (comma < 0 ? spec.substring(i) : spec.substring(i, comma)).strip();
      if (item.startsWith("target=")) {
        put(keys, "target", spec.substring(spec.indexOf("target=", i) + "target=".length()).strip());
        break;
      }
      boolean last = comma < 0;
      if (item.contains("=")) {
        String k = item.substring(0, item.indexOf('=')).strip();
        String v = item.substring(item.indexOf('=') + 1).strip();
        if (Set.of("format", "vdev", "access", "devtype", "backend", "backendtype", "script").contains(k)) {
          put(keys, k, v);
        } else {
          extras.add(k + "=" + v);
        }
      } else if (item.equals("cdrom")) {
        cdromFlag = true;
      } else if (FLAGS.contains(item)) {
        extras.add(item);
      } else if (!(item.isEmpty() && last && i > 0)) {
        positional.add(item);
      }
      if (last) {
        break;
      }
      i = comma + 1;
    }
    Builder b = new Builder().form(positional.isEmpty() ? Form.KEY_VALUE : Form.POSITIONAL);
    String target = null;
    String vdev = null;
    String format = null;
    String access = null;
    switch (positional.size()) {
      case 0 -> { }
      case 1 -> target = positional.get(0);
      case 2 -> {
        target = positional.get(0);
        vdev = positional.get(1);
      }
      case 3 -> {
        target = positional.get(0);
        if (KNOWN_FORMATS.contains(positional.get(1))) {
          format = positional.get(1);
          vdev = positional.get(2);
        } else {
          vdev = positional.get(1);
          access = positional.get(2);
        }
      }
      case 4 -> {
        target = positional.get(0);
        format = positional.get(1);
        vdev = positional.get(2);
        access = positional.get(3);
      }
      default -> throw new IllegalArgumentException("too many positional parameters (" + positional.size()
          + "; at most target, format, vdev, access)");
    }
    target = merge("target", target, keys.get("target"));
    format = merge("format", format, keys.get("format"));
    vdev = merge("vdev", vdev, keys.get("vdev"));
    access = merge("access", access, keys.get("access"));
    if (vdev == null) {
      throw new IllegalArgumentException("no vdev (the device name the guest sees, e.g. xvda)");
    }
    DeviceType type = null;
    int colon = vdev.lastIndexOf(':');
    if (colon >= 0 && (vdev.endsWith(":cdrom") || vdev.endsWith(":disk"))) {
      type = vdev.endsWith(":cdrom") ? DeviceType.CDROM : DeviceType.DISK;
      vdev = vdev.substring(0, colon);
    }
    if (keys.containsKey("devtype") || cdromFlag) {
      String dt = keys.containsKey("devtype") ? keys.get("devtype") : "cdrom";
      DeviceType t = switch (dt) {
        case "cdrom" -> DeviceType.CDROM;
        case "disk" -> DeviceType.DISK;
        default -> throw new IllegalArgumentException("devtype must be disk or cdrom, not '" + dt + "'");
      };
      if (type != null && type != t || cdromFlag && keys.containsKey("devtype") && t != DeviceType.CDROM) {
        throw new IllegalArgumentException("the device type is given twice, differently");
      }
      type = t;
    }
    if (access != null && !access.isEmpty()) {
      String a = access;
      b.access(Access.of(a).orElseThrow(() -> new IllegalArgumentException(
          "invalid access '" + a + "' (r, ro, w, rw or w!)")));
    }
    if (target != null && !target.isEmpty()) {
      String[] split = splitPrefix(target);
      b.prefix(split[0]).target(split[1]);
    }
    if (format != null && !format.isEmpty()) {
      b.format(format);
    }
    b.vdev(vdev).deviceType(type).backend(keys.get("backend")).backendType(keys.get("backendtype"))
        .script(keys.get("script"));
    extras.forEach(b::extra);
    return b.build();
  }

  private static void put(Map<String, String> keys, String k, String v) {
    if (keys.put(k, v) != null) {
      throw new IllegalArgumentException("'" + k + "' is given twice");
    }
  }

  private static String merge(String what, String positional, String keyed) {
    if (positional != null && !positional.isEmpty() && keyed != null) {
      throw new IllegalArgumentException("'" + what + "' is given both as a positional parameter and as " + what + "=");
    }
    return keyed != null ? keyed : positional;
  }

  /** Splits {@code tap:aio:/srv/x.img} into {@code tap:aio} and {@code /srv/x.img}; [null, target] without a prefix. */
  private static String[] splitPrefix(String target) {
    int at = 0;
    String prefix = null;
    while (true) {
      int colon = target.indexOf(':', at);
      if (colon <= at || colon == target.length() - 1) {
        break;
      }
      String word = target.substring(at, colon);
      boolean known = KNOWN_PREFIXES.contains(word);
      boolean script = prefix == null && word.matches("[a-z][a-z0-9]*");
      if (!known && !script) {
        break;
      }
      prefix = prefix == null ? word : prefix + ":" + word;
      at = colon + 1;
      if (!known) {
        break;
      }
    }
    return new String[] {prefix, prefix == null ? target : target.substring(at)};
  }

  /** The form the spec is written in. */
  public Form form() {
    return form;
  }

  /** The legacy backend prefix of the target: {@code phy}, {@code file}, {@code tap:aio}, a block-script name. */
  public Optional<String> prefix() {
    return Optional.ofNullable(prefix);
  }

  /** The target without its prefix (a device path or a file); empty for an empty CD-ROM drive. */
  public Optional<String> target() {
    return Optional.ofNullable(target);
  }

  /** The target as written, with its prefix: {@code phy:/dev/mapper/vm1}. */
  public Optional<String> prefixedTarget() {
    return target().map(t -> prefix == null ? t : prefix + ":" + t);
  }

  /** The image format ({@code raw}, {@code qcow2}); xl assumes raw when absent. */
  public Optional<String> format() {
    return Optional.ofNullable(format);
  }

  /** The virtual device the guest sees: {@code xvda}, {@code hdc}. */
  public String vdev() {
    return vdev;
  }

  /** The device type as written; absent means a disk. */
  public Optional<DeviceType> deviceType() {
    return Optional.ofNullable(deviceType);
  }

  /** Whether the guest sees a CD-ROM. */
  public boolean isCdrom() {
    return deviceType == DeviceType.CDROM;
  }

  /** The access mode; when absent the toolstacks default to read-write. */
  public Optional<Access> access() {
    return Optional.ofNullable(access);
  }

  /** The domain serving the disk ({@code backend=}); dom0 when absent. */
  public Optional<String> backend() {
    return Optional.ofNullable(backend);
  }

  /** {@code backendtype=}: {@code phy}, {@code qdisk}, {@code tap}. */
  public Optional<String> backendType() {
    return Optional.ofNullable(backendType);
  }

  /** {@code script=}: the block hotplug script. */
  public Optional<String> script() {
    return Optional.ofNullable(script);
  }

  /** Other parameters and flags, as written ({@code discard}, {@code colo-port=9000}). */
  public List<String> extras() {
    return extras;
  }

  /**
   * The multipath map this disk is, when its target is {@code /dev/mapper/<alias>} behind no prefix
   * or {@code phy:}.
   */
  public Optional<MultipathAlias> multipathAlias() {
    if (target == null || !target.startsWith("/dev/mapper/") || !(prefix == null || prefix.equals("phy"))) {
      return Optional.empty();
    }
    String alias = target.substring("/dev/mapper/".length());
    return MultipathAlias.isValid(alias) ? Optional.of(MultipathAlias.of(alias)) : Optional.empty();
  }

  /** The spec as a config writes it, in its {@link #form()}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    String vdevText = vdev + (deviceType == null ? "" : deviceType == DeviceType.CDROM ? ":cdrom" : ":disk");
    if (form == Form.POSITIONAL) {
      parts.add(prefixedTarget().orElse(""));
      boolean formatPositional = format != null && (access != null || KNOWN_FORMATS.contains(format));
      if (formatPositional) {
        parts.add(format);
      }
      parts.add(vdevText);
      if (access != null) {
        parts.add(access.positional);
      }
      StringBuilder b = new StringBuilder(String.join(",", parts));
      if (format != null && !formatPositional) {
        b.append(", format=").append(format);
      }
      for (String kv : keyed(false)) {
        b.append(", ").append(kv);
      }
      return b.toString();
    }
    if (format != null) {
      parts.add("format=" + format);
    }
    parts.add("vdev=" + vdev);
    if (access != null) {
      parts.add("access=" + access.keyValue);
    }
    if (deviceType != null) {
      parts.add("devtype=" + deviceType.name().toLowerCase(Locale.ROOT));
    }
    parts.addAll(keyed(true));
    return String.join(", ", parts);
  }

  private List<String> keyed(boolean withTarget) {
    List<String> parts = new ArrayList<>();
    if (backend != null) {
      parts.add("backend=" + backend);
    }
    if (backendType != null) {
      parts.add("backendtype=" + backendType);
    }
    if (script != null) {
      parts.add("script=" + script);
    }
    parts.addAll(extras);
    if (withTarget && target != null) {
      parts.add("target=" + prefixedTarget().get());
    }
    return parts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiskSpec d && d.form == form && Objects.equals(d.prefix, prefix) && Objects.equals(d.target, target)
        && Objects.equals(d.format, format) && d.vdev.equals(vdev) && d.deviceType == deviceType && d.access == access
        && Objects.equals(d.backend, backend) && Objects.equals(d.backendType, backendType)
        && Objects.equals(d.script, script) && d.extras.equals(extras);
  }

  @Override
  public int hashCode() {
    return Objects.hash(form, prefix, target, format, vdev, deviceType, access, backend, backendType, script, extras);
  }

  /** Builds a {@link DiskSpec}; {@link #vdev(String)} is required. */
  public static final class Builder {
    private Form form = Form.KEY_VALUE;
    private String prefix;
    private String target;
    private String format;
    private String vdev;
    private DeviceType deviceType;
    private Access access;
    private String backend;
    private String backendType;
    private String script;
    private final List<String> extras = new ArrayList<>();

    private Builder() {}

    public Builder form(Form form) {
      this.form = form;
      return this;
    }

    /** The legacy prefix ({@code phy}, {@code tap:aio}); {@code null} for none. */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** The device path or file, without prefix; {@code null} for an empty CD-ROM drive. */
    public Builder target(String target) {
      this.target = target;
      return this;
    }

    public Builder format(String format) {
      this.format = format;
      return this;
    }

    public Builder vdev(String vdev) {
      this.vdev = vdev;
      return this;
    }

    public Builder deviceType(DeviceType deviceType) {
      this.deviceType = deviceType;
      return this;
    }

    public Builder access(Access access) {
      this.access = access;
      return this;
    }

    public Builder backend(String backend) {
      this.backend = backend;
      return this;
    }

    public Builder backendType(String backendType) {
      this.backendType = backendType;
      return this;
    }

    public Builder script(String script) {
      this.script = script;
      return this;
    }

    /** Adds a parameter this class does not model, {@code key=value} or a flag. */
    public Builder extra(String parameter) {
      extras.add(Objects.requireNonNull(parameter));
      return this;
    }

    /** @throws IllegalArgumentException when a part is invalid */
    public DiskSpec build() {
      if (vdev == null) {
        throw new IllegalArgumentException("no vdev (the device name the guest sees, e.g. xvda)");
      }
      return new DiskSpec(this);
    }
  }
}
