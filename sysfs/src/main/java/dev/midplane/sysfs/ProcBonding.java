package dev.midplane.sysfs;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contents of {@code /proc/net/bonding/bondN}, parsed and rendered in the kernel's format
 * ({@code drivers/net/bonding/bond_procfs.c}). This is also the text operators paste into tickets,
 * so {@link #parse(String)} accepts exactly that text and nothing looser: a line it does not
 * understand is an error with its line number, never a silently shorter result.
 *
 * <pre>{@code
 * ProcBonding b = ProcBonding.parse(Files.readString(host.path("/proc/net/bonding/bond0")));
 * b.mode();          // ACTIVE_BACKUP
 * b.activeSlave();   // Optional[eth0]
 * b.slave(InterfaceName.of("eth1")).orElseThrow().linkFailureCount();
 * }</pre>
 *
 * <p>A parsed value keeps every line, so {@link #render()} gives back the parsed text exactly
 * (without trailing blank lines), including the lines of modes this class does not type
 * (802.3ad details, transmit hash policy), which are available as {@link Field}s. The
 * {@link Builder} produces what the kernel prints for a given bond state; the simulated kernel
 * renders its files with it.
 */
public final class ProcBonding {
  private static final String SOURCE = "/proc/net/bonding";
  private static final String DRIVER_PREFIX = "Ethernet Channel Bonding Driver: ";
  private static final String SLAVE_KEY = "Slave Interface";
  private static final Pattern FAIL_OVER_MAC = Pattern.compile("^(.*) \\(fail_over_mac (\\w+)\\)$");
  private static final Pattern PRIMARY = Pattern.compile("^(\\S+)(?: \\(primary_reselect (\\w+)\\))?$");

  /**
   * One line: {@code key: value}, a key ending in {@code :} with an empty value (a sub-heading in
   * 802.3ad details), a heading without a colon ({@code 802.3ad info}, {@code value} is
   * {@code null}) or, inside the master section, an empty line ({@code key} and {@code value} empty).
   * {@code key} keeps its leading whitespace, which marks 802.3ad sub-fields.
   */
  public record Field(String key, String value) {
    public Field {
      Objects.requireNonNull(key, "key");
    }

    String render() {
      if (value == null) {
        return key;
      }
      if (key.isEmpty() && value.isEmpty()) {
        return "";
      }
      return value.isEmpty() ? key + ":" : key + ": " + value;
    }
  }

  /** One {@code Slave Interface:} section. */
  public static final class Slave {
    private final List<Field> fields;
    private final InterfaceName name;
    private final SlaveLinkState miiStatus;
    private final OptionalInt speedMbps;
    private final Optional<String> duplex;
    private final int linkFailureCount;
    private final Optional<String> permanentHwAddr;
    private final OptionalInt queueId;

    private Slave(List<Field> fields, Reader r) {
      this.fields = List.copyOf(fields);
      this.name = r.required(SLAVE_KEY, ProcBonding::interfaceName);
      this.miiStatus = r.required("MII Status", v -> SlaveLinkState.fromText(v)
          .orElseThrow(() -> new IllegalArgumentException("unknown link state")));
      Optional<String> speed = r.optional("Speed", Function.identity());
      this.speedMbps = speed.isEmpty() || speed.get().equals("Unknown") ? OptionalInt.empty()
          : OptionalInt.of(r.optional("Speed", ProcBonding::mbps).orElseThrow());
      this.duplex = r.optional("Duplex", v -> {
        if (!v.equals("full") && !v.equals("half") && !v.equals("Unknown")) {
          throw new IllegalArgumentException("expected full, half or Unknown");
        }
        return v;
      }).filter(v -> !v.equals("Unknown"));
      this.linkFailureCount = r.required("Link Failure Count", ProcBonding::nonNegative);
      this.permanentHwAddr = r.optional("Permanent HW addr", Function.identity());
      this.queueId = toOptionalInt(r.optional("Slave queue ID", ProcBonding::nonNegative));
    }

    /** The section's lines, in order (the first is {@code Slave Interface}). */
    public List<Field> fields() {
      return fields;
    }

    public InterfaceName name() {
      return name;
    }

    public SlaveLinkState miiStatus() {
      return miiStatus;
    }

    /** Empty when the kernel printed {@code Unknown} (dummy slaves) or no speed line. */
    public OptionalInt speedMbps() {
      return speedMbps;
    }

    /** {@code full} or {@code half}; empty for {@code Unknown}. */
    public Optional<String> duplex() {
      return duplex;
    }

    public int linkFailureCount() {
      return linkFailureCount;
    }

    /** The slave's own address as printed ({@code f2:16:5b:c9:27:34}); longer for InfiniBand. */
    public Optional<String> permanentHwAddr() {
      return permanentHwAddr;
    }

    /** The permanent address as a MAC, when it is a 6-byte Ethernet address. */
    public Optional<MacAddress> permanentMac() {
      return permanentHwAddr.filter(MacAddress::isValid).map(MacAddress::of);
    }

    public OptionalInt queueId() {
      return queueId;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Slave s && s.fields.equals(fields);
    }

    @Override
    public int hashCode() {
      return fields.hashCode();
    }

    @Override
    public String toString() {
      return "Slave[" + name + " " + miiStatus.text() + ", failures " + linkFailureCount + "]";
    }
  }

  private final String driverVersion;
  private final List<Field> master;
  private final List<Slave> slaves;
  private final BondMode mode;
  private final Optional<FailOverMac> failOverMac;
  private final Optional<InterfaceName> primarySlave;
  private final Optional<PrimaryReselect> primaryReselect;
  private final boolean usesPrimary;
  private final Optional<InterfaceName> activeSlave;
  private final boolean miiUp;
  private final int miimon;
  private final int updelayMs;
  private final int downdelayMs;
  private final OptionalInt peerNotificationDelayMs;
  private final OptionalInt arpIntervalMs;
  private final OptionalInt arpMissedMax;
  private final List<Ipv4Address> arpIpTargets;
  private final List<String> nsIpv6Targets;

  private ProcBonding(String driverVersion, List<Field> master, List<Slave> slaves, int firstMasterLine) {
    this.driverVersion = driverVersion;
    this.master = List.copyOf(master);
    this.slaves = List.copyOf(slaves);
    Reader r = new Reader(master, firstMasterLine);
    String modeText = r.required("Bonding Mode", Function.identity());
    Matcher fom = FAIL_OVER_MAC.matcher(modeText);
    String modeDescription = modeText;
    Optional<FailOverMac> f = Optional.empty();
    if (fom.matches()) {
      modeDescription = fom.group(1);
      f = Optional.of(r.required("Bonding Mode", v -> FailOverMac.fromOption(fom.group(2))
          .orElseThrow(() -> new IllegalArgumentException("unknown fail_over_mac " + fom.group(2)))));
    }
    String d = modeDescription;
    this.mode = r.required("Bonding Mode", v -> BondMode.fromDescription(d)
        .orElseThrow(() -> new IllegalArgumentException("unknown bonding mode")));
    this.failOverMac = f;
    Optional<Matcher> primary = r.optional("Primary Slave", v -> {
      Matcher m = PRIMARY.matcher(v);
      if (!m.matches()) {
        throw new IllegalArgumentException("expected None or a slave name");
      }
      return m;
    });
    this.usesPrimary = primary.isPresent();
    this.primarySlave = primary.map(m -> m.group(1)).filter(n -> !n.equals("None"))
        .map(n -> r.required("Primary Slave", v -> interfaceName(n)));
    this.primaryReselect = primary.map(m -> m.group(2)).filter(Objects::nonNull)
        .map(p -> r.required("Primary Slave", v -> PrimaryReselect.fromOption(p)
            .orElseThrow(() -> new IllegalArgumentException("unknown primary_reselect " + p))));
    this.activeSlave = r.optional("Currently Active Slave", v -> v.equals("None") ? null : interfaceName(v));
    this.miiUp = r.required("MII Status", ProcBonding::upDown);
    this.miimon = r.required("MII Polling Interval (ms)", ProcBonding::nonNegative);
    this.updelayMs = r.required("Up Delay (ms)", ProcBonding::nonNegative);
    this.downdelayMs = r.required("Down Delay (ms)", ProcBonding::nonNegative);
    this.peerNotificationDelayMs = toOptionalInt(r.optional("Peer Notification Delay (ms)", ProcBonding::nonNegative));
    this.arpIntervalMs = toOptionalInt(r.optional("ARP Polling Interval (ms)", ProcBonding::nonNegative));
    this.arpMissedMax = toOptionalInt(r.optional("ARP Missed Max", ProcBonding::nonNegative));
    this.arpIpTargets = r.optional("ARP IP target/s (n.n.n.n form)", ProcBonding::ipv4List).orElse(List.of());
    this.nsIpv6Targets = r.optional("NS IPv6 target/s (xx::xx form)", ProcBonding::wordList).orElse(List.of());
  }

  /**
   * Parses the text of {@code /proc/net/bonding/bondN}.
   *
   * @throws SysfsParseException with the line number when the text is not in the kernel's format
   */
  public static ProcBonding parse(String text) {
    Objects.requireNonNull(text, "text");
    List<String> lines = new ArrayList<>(text.replace("\r\n", "\n").lines().toList());
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty()) {
      throw new SysfsParseException(SOURCE, 1, null, "empty text");
    }
    String first = lines.get(0);
    if (!first.startsWith(DRIVER_PREFIX) || first.length() == DRIVER_PREFIX.length()) {
      throw new SysfsParseException(SOURCE, 1, first, "expected '" + DRIVER_PREFIX + "<version>'");
    }
    if (lines.size() < 2 || !lines.get(1).isEmpty()) {
      throw new SysfsParseException(SOURCE, 2, lines.size() < 2 ? null : lines.get(1),
          "expected an empty line after the driver version");
    }
    List<Field> master = new ArrayList<>();
    int i = 2;
    boolean in8023ad = false;
    while (i < lines.size() && !startsSlave(lines, i)) {
      String l = lines.get(i);
      if (l.isEmpty()) {
        master.add(new Field("", ""));
      } else {
        Field f = field(l, i + 1, in8023ad);
        in8023ad |= f.value() == null;
        master.add(f);
      }
      i++;
    }
    List<Slave> slaves = new ArrayList<>();
    while (i < lines.size()) {
      int start = ++i; // skip the empty line before "Slave Interface"
      List<Field> fields = new ArrayList<>();
      while (i < lines.size() && !startsSlave(lines, i)) {
        String l = lines.get(i);
        if (l.isEmpty()) {
          throw new SysfsParseException(SOURCE, i + 1, l, "unexpected empty line inside a slave section");
        }
        fields.add(field(l, i + 1, false));
        i++;
      }
      slaves.add(new Slave(fields, new Reader(fields, start + 1)));
    }
    return new ProcBonding(first.substring(DRIVER_PREFIX.length()), master, slaves, 3);
  }

  private static boolean startsSlave(List<String> lines, int i) {
    return lines.get(i).isEmpty() && i + 1 < lines.size() && lines.get(i + 1).startsWith(SLAVE_KEY + ": ");
  }

  private static Field field(String line, int number, boolean freeTextAllowed) {
    int sep = line.indexOf(": ");
    if (sep > 0) {
      return new Field(line.substring(0, sep), line.substring(sep + 2));
    }
    if (line.endsWith(":") && line.length() > 1) {
      return new Field(line.substring(0, line.length() - 1), "");
    }
    if (line.equals("802.3ad info") || (freeTextAllowed && !line.isBlank())) {
      return new Field(line, null);
    }
    throw new SysfsParseException(SOURCE, number, line, "expected 'Key: value'");
  }

  /** The kernel text for this value, lines ending in {@code \n}. */
  public String render() {
    StringBuilder b = new StringBuilder(512);
    b.append(DRIVER_PREFIX).append(driverVersion).append("\n\n");
    for (Field f : master) {
      b.append(f.render()).append('\n');
    }
    for (Slave s : slaves) {
      b.append('\n');
      for (Field f : s.fields) {
        b.append(f.render()).append('\n');
      }
    }
    return b.toString();
  }

  /** The driver version, e.g. {@code v6.1.0-56-amd64} (the kernel release since 5.x). */
  public String driverVersion() {
    return driverVersion;
  }

  /** The bond's lines before the first slave section, in order. */
  public List<Field> fields() {
    return master;
  }

  /** The first un-indented field of the bond section with this key. */
  public Optional<String> field(String key) {
    return master.stream().filter(f -> f.key().equals(key) && f.value() != null).map(Field::value).findFirst();
  }

  public BondMode mode() {
    return mode;
  }

  /** Present when the mode line carries {@code (fail_over_mac X)} (X other than none). */
  public Optional<FailOverMac> failOverMac() {
    return failOverMac;
  }

  /** The configured primary slave; empty for {@code None} or modes without a primary. */
  public Optional<InterfaceName> primarySlave() {
    return primarySlave;
  }

  /** Printed next to the primary slave when one is set. */
  public Optional<PrimaryReselect> primaryReselect() {
    return primaryReselect;
  }

  /** True when the mode has a primary and one active slave (the file then has those lines). */
  public boolean usesPrimary() {
    return usesPrimary;
  }

  /** {@code Currently Active Slave}; empty for {@code None} or modes without one. */
  public Optional<InterfaceName> activeSlave() {
    return activeSlave;
  }

  /** The bond's {@code MII Status}: whether it has carrier. */
  public boolean miiUp() {
    return miiUp;
  }

  public int miimon() {
    return miimon;
  }

  public int updelayMs() {
    return updelayMs;
  }

  public int downdelayMs() {
    return downdelayMs;
  }

  /** Printed by kernels since 5.3. */
  public OptionalInt peerNotificationDelayMs() {
    return peerNotificationDelayMs;
  }

  /** Present when the ARP monitor is on ({@code arp_interval} &gt; 0). */
  public OptionalInt arpIntervalMs() {
    return arpIntervalMs;
  }

  /** Printed by kernels since 5.19 when the ARP monitor is on. */
  public OptionalInt arpMissedMax() {
    return arpMissedMax;
  }

  public List<Ipv4Address> arpIpTargets() {
    return arpIpTargets;
  }

  /** IPv6 neighbour solicitation targets, as printed. */
  public List<String> nsIpv6Targets() {
    return nsIpv6Targets;
  }

  public List<Slave> slaves() {
    return slaves;
  }

  public Optional<Slave> slave(InterfaceName name) {
    return slaves.stream().filter(s -> s.name.equals(name)).findFirst();
  }

  /** Starts a value the way the kernel prints a bond; {@code driverVersion} e.g. {@code v6.1.0-56-amd64}. */
  public static Builder builder(String driverVersion) {
    return new Builder(driverVersion);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProcBonding p && p.driverVersion.equals(driverVersion) && p.master.equals(master)
        && p.slaves.equals(slaves);
  }

  @Override
  public int hashCode() {
    return Objects.hash(driverVersion, master, slaves);
  }

  @Override
  public String toString() {
    return "ProcBonding[" + mode.option() + ", active " + activeSlave.map(Object::toString).orElse("None")
        + ", slaves " + slaves + "]";
  }

  /**
   * Builds the file as {@code bond_info_show_master} and {@code bond_info_show_slave} print it for
   * a kernel of the 6.1 series: the lines appear or not exactly as the kernel decides (primary lines
   * only for modes that use a primary, ARP lines only when the ARP monitor is on).
   */
  public static final class Builder {
    private final String driverVersion;
    private BondMode mode = BondMode.BALANCE_RR;
    private FailOverMac failOverMac = FailOverMac.NONE;
    private String xmitHashPolicy = "layer2 (0)";
    private InterfaceName primary;
    private PrimaryReselect primaryReselect = PrimaryReselect.ALWAYS;
    private InterfaceName active;
    private boolean miiUp;
    private int miimon;
    private int updelayMs;
    private int downdelayMs;
    private int peerNotifyDelayMs;
    private int arpIntervalMs;
    private int arpMissedMax = 2;
    private final List<Ipv4Address> arpTargets = new ArrayList<>();
    private final List<List<Field>> slaves = new ArrayList<>();

    private Builder(String driverVersion) {
      this.driverVersion = Objects.requireNonNull(driverVersion, "driverVersion");
    }

    public Builder mode(BondMode m) {
      mode = Objects.requireNonNull(m);
      return this;
    }

    public Builder failOverMac(FailOverMac f) {
      failOverMac = Objects.requireNonNull(f);
      return this;
    }

    /** The policy as the kernel prints it, e.g. {@code layer2 (0)}; shown for xor and 802.3ad. */
    public Builder transmitHashPolicy(String printed) {
      xmitHashPolicy = Objects.requireNonNull(printed);
      return this;
    }

    public Builder primary(Optional<InterfaceName> p, PrimaryReselect reselect) {
      primary = p.orElse(null);
      primaryReselect = Objects.requireNonNull(reselect);
      return this;
    }

    public Builder activeSlave(Optional<InterfaceName> a) {
      active = a.orElse(null);
      return this;
    }

    public Builder miiUp(boolean up) {
      miiUp = up;
      return this;
    }

    public Builder miimon(int ms) {
      miimon = ms;
      return this;
    }

    /** Delays in milliseconds (the kernel stores them in miimon ticks and prints ticks × miimon). */
    public Builder delays(int updelay, int downdelay, int peerNotifyDelay) {
      updelayMs = updelay;
      downdelayMs = downdelay;
      peerNotifyDelayMs = peerNotifyDelay;
      return this;
    }

    public Builder arp(int intervalMs, int missedMax, List<Ipv4Address> targets) {
      arpIntervalMs = intervalMs;
      arpMissedMax = missedMax;
      arpTargets.clear();
      arpTargets.addAll(targets);
      return this;
    }

    /** Adds a slave section; {@code speedMbps} empty prints {@code Unknown}. */
    public Builder slave(InterfaceName name, SlaveLinkState link, OptionalInt speedMbps, Optional<String> duplex,
        int linkFailureCount, MacAddress permanent, int queueId) {
      List<Field> f = new ArrayList<>();
      f.add(new Field(SLAVE_KEY, name.value()));
      f.add(new Field("MII Status", link.text()));
      f.add(new Field("Speed", speedMbps.isPresent() ? speedMbps.getAsInt() + " Mbps" : "Unknown"));
      f.add(new Field("Duplex", duplex.orElse("Unknown")));
      f.add(new Field("Link Failure Count", Integer.toString(linkFailureCount)));
      f.add(new Field("Permanent HW addr", permanent.toString()));
      f.add(new Field("Slave queue ID", Integer.toString(queueId)));
      slaves.add(f);
      return this;
    }

    public ProcBonding build() {
      List<Field> m = new ArrayList<>();
      String modeLine = mode.description();
      if (mode == BondMode.ACTIVE_BACKUP && failOverMac != FailOverMac.NONE) {
        modeLine += " (fail_over_mac " + failOverMac.option() + ")";
      }
      m.add(new Field("Bonding Mode", modeLine));
      if (mode == BondMode.BALANCE_XOR || mode == BondMode.IEEE_802_3AD) {
        m.add(new Field("Transmit Hash Policy", xmitHashPolicy));
      }
      if (mode.usesPrimary()) {
        m.add(new Field("Primary Slave", primary == null ? "None"
            : primary.value() + " (primary_reselect " + primaryReselect.option() + ")"));
        m.add(new Field("Currently Active Slave", active == null ? "None" : active.value()));
      }
      m.add(new Field("MII Status", miiUp ? "up" : "down"));
      m.add(new Field("MII Polling Interval (ms)", Integer.toString(miimon)));
      m.add(new Field("Up Delay (ms)", Integer.toString(updelayMs)));
      m.add(new Field("Down Delay (ms)", Integer.toString(downdelayMs)));
      m.add(new Field("Peer Notification Delay (ms)", Integer.toString(peerNotifyDelayMs)));
      if (arpIntervalMs > 0) {
        m.add(new Field("ARP Polling Interval (ms)", Integer.toString(arpIntervalMs)));
        m.add(new Field("ARP Missed Max", Integer.toString(arpMissedMax)));
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < arpTargets.size(); i++) {
          t.append(i == 0 ? "" : ", ").append(arpTargets.get(i));
        }
        m.add(new Field("ARP IP target/s (n.n.n.n form)", t.toString()));
        m.add(new Field("NS IPv6 target/s (xx::xx form)", ""));
      }
      List<Slave> s = new ArrayList<>();
      for (List<Field> f : slaves) {
        s.add(new Slave(f, new Reader(f, 1)));
      }
      return new ProcBonding(driverVersion, m, s, 1);
    }
  }

  // The kernel prints "ARP IP target/s (n.n.n.n form): a, b" as ":" + " %pI4" with "," between
  // targets, i.e. "a, b"; an empty list prints nothing after the colon.
  private static List<Ipv4Address> ipv4List(String v) {
    List<Ipv4Address> out = new ArrayList<>();
    for (String w : wordList(v)) {
      out.add(Ipv4Address.of(w));
    }
    return List.copyOf(out);
  }

  private static List<String> wordList(String v) {
    if (v.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String w : v.split(",")) {
      String s = w.strip();
      if (s.isEmpty()) {
        throw new IllegalArgumentException("empty list element");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  private static InterfaceName interfaceName(String v) {
    return InterfaceName.of(v);
  }

  private static boolean upDown(String v) {
    return switch (v) {
      case "up" -> true;
      case "down" -> false;
      default -> throw new IllegalArgumentException("expected up or down");
    };
  }

  private static Integer nonNegative(String v) {
    int n = Integer.parseInt(v);
    if (n < 0) {
      throw new IllegalArgumentException("negative");
    }
    return n;
  }

  private static Integer mbps(String v) {
    if (!v.endsWith(" Mbps")) {
      throw new IllegalArgumentException("expected '<n> Mbps' or 'Unknown'");
    }
    return nonNegative(v.substring(0, v.length() - 5));
  }

  private static OptionalInt toOptionalInt(Optional<Integer> o) {
    return o.map(OptionalInt::of).orElse(OptionalInt.empty());
  }

  /** Looks up un-indented fields of one section and converts them, reporting the line on failure. */
  private static final class Reader {
    private final List<Field> fields;
    private final int firstLine;

    Reader(List<Field> fields, int firstLine) {
      this.fields = fields;
      this.firstLine = firstLine;
    }

    <T> T required(String key, Function<String, T> convert) {
      return optional(key, convert).orElseThrow(() -> new SysfsParseException(SOURCE, firstLine, null,
          "missing '" + key + ":' line"));
    }

    <T> Optional<T> optional(String key, Function<String, T> convert) {
      for (int i = 0; i < fields.size(); i++) {
        Field f = fields.get(i);
        if (f.key().equals(key) && f.value() != null) {
          try {
            return Optional.ofNullable(convert.apply(f.value()));
          } catch (RuntimeException e) {
            throw new SysfsParseException(SOURCE, firstLine + lineOffset(i), f.render(),
                "bad value for '" + key + "' (" + e.getMessage() + ")");
          }
        }
      }
      return Optional.empty();
    }

    private int lineOffset(int index) {
      return index;
    }
  }
}
