package dev.midplane.xen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.VifSpec;
import dev.midplane.xen.sxp.Sxp;
import dev.midplane.xen.sxp.SxpDocument;
import dev.midplane.xen.sxp.SxpList;
import dev.midplane.xen.text.ParseFailedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure parsers for what {@code xl} and {@code xm} print, and renderers that print values in
 * {@code xl}'s exact layout (Xen 4.17), for simulated toolstacks and tests.
 *
 * <p>Every parser takes the whole text and returns a whole result or throws
 * {@link ParseFailedException} with the line: an unknown header, a row with the wrong number of
 * columns, a value of the wrong kind, text that ends in the middle of a line or a JSON document
 * (a truncated output) are errors, never a shorter list. Blank lines are ignored.
 */
public final class ToolstackOutputs {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern INFO_LINE = Pattern.compile("([A-Za-z0-9_]+)\\s*:(?: (.*))?");
  private static final Pattern TIME = Pattern.compile("[0-9]+(\\.[0-9]+)?");
  /** {@code xl list}'s header: printf("Name ... ID   Mem VCPUs\tState\tTime(s)"). */
  static final String XL_LIST_HEADER = "Name                                        ID   Mem VCPUs\tState\tTime(s)";

  private ToolstackOutputs() {}

  /** A line of a text, for errors. */
  private record Line(int number, String text) {}

  private static List<Line> lines(String text, String source) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      int n = (int) text.lines().count();
      throw ParseFailedException.atLine(source, text, n, "the output ends in the middle of a line (truncated?)");
    }
    List<Line> out = new ArrayList<>();
    int n = 0;
    for (String l : text.split("\n", -1)) {
      n++;
      String s = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
      if (!s.isBlank()) {
        out.add(new Line(n, s));
      }
    }
    return out;
  }

  private static ParseFailedException error(String source, Line l, String problem) {
    return new ParseFailedException(source, l.number(), 0, l.text(), problem);
  }

  // ------------------------------------------------------------------ xl list / xm list

  /**
   * Parses {@code xl list} / {@code xm list} (also with domain names as arguments). Accepts the
   * header of xl and xm 3.1+ ({@code Name ID Mem VCPUs State Time(s)}) and of xm 3.0
   * ({@code Name ID Mem(MiB) VCPUs State Time(s)}); rows with an id, or without one (an inactive
   * domain xend manages); {@code (null)} for a dying domain's name.
   */
  public static List<DomainInfo> parseList(String text, String source) {
    List<Line> lines = lines(text, source);
    if (lines.isEmpty()) {
      throw new ParseFailedException(source, 0, 0, "", "empty output: expected a header line and domain rows");
    }
    Line header = lines.get(0);
    List<String> cols = List.of(header.text().strip().split("\\s+"));
    if (!cols.equals(List.of("Name", "ID", "Mem", "VCPUs", "State", "Time(s)"))
        && !cols.equals(List.of("Name", "ID", "Mem(MiB)", "VCPUs", "State", "Time(s)"))) {
      throw error(source, header, "not a domain list header (expected Name ID Mem VCPUs State Time(s))");
    }
    if (lines.size() == 1) {
      throw new ParseFailedException(source, 0, 0, "", "a header without domain rows (truncated output?)");
    }
    // The id column ends where the header's "ID" ends; a row without an id is blank there.
    int idEnd = header.text().indexOf(" ID ") + 3;
    List<DomainInfo> out = new ArrayList<>();
    for (Line l : lines.subList(1, lines.size())) {
      String[] t = l.text().strip().split("\\s+");
      boolean blankId = l.text().length() < idEnd || Character.isWhitespace(l.text().charAt(idEnd - 1));
      if (t.length != 6 && !(t.length == 5 && blankId && t[0].length() < idEnd - 5)) {
        throw error(source, l, "expected 6 columns (name, id, memory, vcpus, state, time)"
            + (t.length == 5 ? " or an inactive domain's 5 with a blank id column" : "") + ", found " + t.length);
      }
      int i = 1;
      DomainInfo.Builder b = DomainInfo.builder().rawName(t[0]);
      try {
        if (t.length == 6) {
          b.id(Integer.parseInt(t[i++]));
        }
        b.memoryMib(Long.parseLong(t[i++]));
        b.vcpus(Integer.parseInt(t[i++]));
        b.state(DomainState.parse(t[i++]));
        if (!TIME.matcher(t[i]).matches()) {
          throw new IllegalArgumentException("the time column is not seconds: '" + t[i] + "'");
        }
        b.cpuSeconds(Double.parseDouble(t[i]));
        out.add(b.build());
      } catch (IllegalArgumentException e) {
        throw error(source, l, e.getMessage());
      }
    }
    return out;
  }

  /** Renders domains exactly as {@code xl list} prints them (every domain needs an id). */
  public static String renderList(List<DomainInfo> domains) {
    StringBuilder b = new StringBuilder(XL_LIST_HEADER).append('\n');
    for (DomainInfo d : domains) {
      if (d.id().isEmpty()) {
        throw new IllegalArgumentException("xl lists running domains only; " + d.rawName() + " has no id");
      }
      b.append(String.format(Locale.ROOT, "%-40s %5d %5d %5d     %s  %8.1f", d.rawName(), d.id().getAsInt(), d.memoryMib(),
          d.vcpus(), DomainState.render(d.state()), d.cpuSeconds())).append('\n');
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ xl info / xm info

  /**
   * Parses {@code xl info} / {@code xm info}: {@code key : value} lines (a value may be empty;
   * indented lines continue the previous value, as xm prints {@code node_to_cpu}). {@code host},
   * {@code nr_cpus}, {@code total_memory}, {@code free_memory}, {@code xen_major} and
   * {@code xen_minor} are required, so a cut output fails.
   */
  public static HostInfo parseInfo(String text, String source) {
    Map<String, String> attrs = new LinkedHashMap<>();
    Map<String, Line> where = new LinkedHashMap<>();
    String last = null;
    for (Line l : lines(text, source)) {
      if (Character.isWhitespace(l.text().charAt(0)) && last != null) {
        attrs.put(last, attrs.get(last) + "\n" + l.text().strip());
        continue;
      }
      Matcher m = INFO_LINE.matcher(l.text());
      if (!m.matches()) {
        throw error(source, l, "expected 'key : value'");
      }
      last = m.group(1);
      if (attrs.put(last, m.group(2) == null ? "" : m.group(2)) != null) {
        throw error(source, l, "'" + last + "' appears twice");
      }
      where.put(last, l);
    }
    for (String key : List.of("host", "nr_cpus", "total_memory", "free_memory", "xen_major", "xen_minor")) {
      if (!attrs.containsKey(key)) {
        throw new ParseFailedException(source, 0, 0, "", "no '" + key + "' line (truncated output?)");
      }
    }
    HostInfo.Builder b = HostInfo.builder().attributes(attrs).hostName(attrs.get("host").strip());
    b.nrCpus((int) number(attrs, where, "nr_cpus", source));
    b.totalMemoryMib(number(attrs, where, "total_memory", source));
    b.freeMemoryMib(number(attrs, where, "free_memory", source));
    long major = number(attrs, where, "xen_major", source);
    long minor = number(attrs, where, "xen_minor", source);
    String version = optional(attrs, "xen_version").orElse(major + "." + minor + attrs.getOrDefault("xen_extra", "").strip());
    b.xenVersion(version);
    b.xenCaps(words(attrs.getOrDefault("xen_caps", "")));
    if (attrs.containsKey("virt_caps")) {
      b.virtCaps(new LinkedHashSet<>(words(attrs.get("virt_caps"))));
    }
    optional(attrs, "release").ifPresent(b::release);
    optional(attrs, "machine").ifPresent(b::machine);
    optional(attrs, "xen_scheduler").ifPresent(b::xenScheduler);
    optional(attrs, "xen_commandline").ifPresent(b::xenCommandline);
    if (attrs.containsKey("xend_config_format")) {
      b.xendConfigFormat((int) number(attrs, where, "xend_config_format", source));
    }
    return b.build();
  }

  private static Optional<String> optional(Map<String, String> attrs, String key) {
    return Optional.ofNullable(attrs.get(key)).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static List<String> words(String s) {
    return s.isBlank() ? List.of() : List.of(s.strip().split("\\s+"));
  }

  private static long number(Map<String, String> attrs, Map<String, Line> where, String key, String source) {
    try {
      return Long.parseLong(attrs.get(key).strip());
    } catch (NumberFormatException e) {
      throw error(source, where.get(key), "'" + key + "' is not a whole number: '" + attrs.get(key) + "'");
    }
  }

  /**
   * Renders {@link HostInfo#attributes()} in {@code xl info}'s layout ({@code %-23s: %s}); values
   * are kept as printed, trailing spaces included.
   */
  public static String renderInfo(HostInfo info) {
    StringBuilder b = new StringBuilder();
    info.attributes().forEach((k, v) -> b.append(String.format(Locale.ROOT, "%-23s: %s", k, v)).append('\n'));
    return b.toString();
  }

  // ------------------------------------------------------------------ block-list / network-list

  /** Parses {@code xl block-list} / {@code xm block-list}. A domain without disks gives the header only. */
  public static List<BlockDevice> parseBlockList(String text, String source) {
    List<BlockDevice> out = new ArrayList<>();
    for (Line l : deviceRows(text, source, "Vdev")) {
      String[] t = l.text().strip().split("\\s+");
      if (t.length != 7) {
        throw error(source, l, "expected 7 columns (Vdev BE handle state evt-ch ring-ref BE-path), found " + t.length);
      }
      try {
        out.add(new BlockDevice(Integer.parseInt(t[0]), Integer.parseInt(t[1]), Integer.parseInt(t[2]), Integer.parseInt(t[3]),
            Integer.parseInt(t[4]), Integer.parseInt(t[5]), path(t[6])));
      } catch (IllegalArgumentException e) {
        throw error(source, l, "not a block device row: " + e.getMessage());
      }
    }
    return out;
  }

  /** Parses {@code xl network-list} / {@code xm network-list}. A domain without interfaces gives the header only. */
  public static List<NetworkDevice> parseNetworkList(String text, String source) {
    List<NetworkDevice> out = new ArrayList<>();
    for (Line l : deviceRows(text, source, "Idx")) {
      // xm pads the ring references as "768  /769  ", xl as "  522/523".
      String[] t = l.text().strip().replaceAll("(\\d)\\s*/\\s*(\\d)", "$1/$2").split("\\s+");
      if (t.length != 8 || t[6].indexOf('/') < 0) {
        throw error(source, l, "expected 8 columns (Idx BE Mac handle state evt-ch tx/rx-ring-ref BE-path), found " + t.length);
      }
      try {
        String[] rings = t[6].split("/", -1);
        out.add(new NetworkDevice(Integer.parseInt(t[0]), Integer.parseInt(t[1]), MacAddress.of(t[2]), Integer.parseInt(t[3]),
            Integer.parseInt(t[4]), Integer.parseInt(t[5]), Integer.parseInt(rings[0]), Integer.parseInt(rings[1]), path(t[7])));
      } catch (RuntimeException e) {
        throw error(source, l, "not a network device row: " + e.getMessage());
      }
    }
    return out;
  }

  private static String path(String p) {
    if (!p.startsWith("/")) {
      throw new IllegalArgumentException("the backend path is not a XenStore path: " + p);
    }
    return p;
  }

  private static List<Line> deviceRows(String text, String source, String firstColumn) {
    List<Line> lines = lines(text, source);
    if (lines.isEmpty()) {
      throw new ParseFailedException(source, 0, 0, "", "empty output: expected a header line");
    }
    List<Line> rows = new ArrayList<>();
    for (Line l : lines) {
      String s = l.text().strip();
      if (s.startsWith(firstColumn + " ") && s.contains("BE-path")) {
        continue; // a header, once per domain listed
      }
      if (rows.isEmpty() && l == lines.get(0)) {
        throw error(source, l, "not a device list header (expected it to start with '" + firstColumn + "' and name BE-path)");
      }
      rows.add(l);
    }
    return rows;
  }

  /** Renders block devices exactly as {@code xl block-list} prints them. */
  public static String renderBlockList(List<BlockDevice> devices) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n",
        "Vdev", "BE", "handle", "state", "evt-ch", "ring-ref", "BE-path"));
    for (BlockDevice d : devices) {
      b.append(String.format(Locale.ROOT, "%-5d %-3d %-6d %-5d %-6d %-8d %-30s\n", d.vdev(), d.backendDomid(), d.handle(), d.state(),
          d.eventChannel(), d.ringRef(), d.backendPath()));
    }
    return b.toString();
  }

  /** Renders interfaces exactly as {@code xl network-list} prints them. */
  public static String renderNetworkList(List<NetworkDevice> devices) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s\n",
        "Idx", "BE", "Mac Addr.", "handle", "state", "evt-ch", "tx-", "rx-ring-ref", "BE-path"));
    for (NetworkDevice d : devices) {
      b.append(String.format(Locale.ROOT, "%-3d %-2d %-17s%6d %5d %6d %5d/%-11d %-30s\n", d.index(), d.backendDomid(), d.mac(),
          d.handle(), d.state(), d.eventChannel(), d.txRingRef(), d.rxRingRef(), d.backendPath()));
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ xl list -l / xm list --long

  /**
   * Parses the long listing in whichever form it comes: JSON ({@code xl list -l}, Xen 4.2+) or
   * S-expressions ({@code xm list --long}, {@code xl list -l} of Xen 4.1).
   */
  public static List<DomainDetails> parseListLong(String text, String source) {
    String s = text.stripLeading();
    if (s.startsWith("[")) {
      return parseListLongJson(text, source);
    }
    if (s.startsWith("(")) {
      return parseListLongSxp(text, source);
    }
    throw new ParseFailedException(source, 1, 0, text.lines().findFirst().orElse(""),
        "neither JSON nor S-expressions: expected '[' or '('");
  }

  /**
   * Renders domains as {@code xl list -l} prints them (Xen 4.17: a JSON array of
   * {@code {"domid": N, "config": {...}}}, four-space indentation) with the fields this SDK reads:
   * {@code c_info} (type, name, uuid), {@code b_info} (vcpus, memory, kernel, ramdisk, cmdline,
   * bootloader), {@code disks}, {@code nics} and the {@code on_*} actions.
   * {@code parseListLongJson(renderListLong(ds))} gives {@code ds} back for details that came from
   * JSON. Every domain needs a {@link DomainDetails#domid()}.
   */
  public static String renderListLong(List<DomainDetails> domains) {
    ArrayNode all = JSON.createArrayNode();
    for (DomainDetails d : domains) {
      ObjectNode dom = all.addObject();
      dom.put("domid", d.domid().orElseThrow(() -> new IllegalArgumentException("xl lists running domains only; "
          + d.rawName() + " has no domid")));
      ObjectNode config = dom.putObject("config");
      ObjectNode cInfo = config.putObject("c_info");
      d.guestType().ifPresent(t -> cInfo.put("type", t));
      cInfo.put("name", d.rawName());
      d.uuid().ifPresent(u -> cInfo.put("uuid", u));
      ObjectNode bInfo = config.putObject("b_info");
      d.vcpus().ifPresent(v -> bInfo.put("max_vcpus", v));
      d.maxMemoryKib().ifPresent(v -> bInfo.put("max_memkb", v));
      d.targetMemoryKib().ifPresent(v -> bInfo.put("target_memkb", v));
      d.kernel().ifPresent(v -> bInfo.put("kernel", v));
      d.cmdline().ifPresent(v -> bInfo.put("cmdline", v));
      d.ramdisk().ifPresent(v -> bInfo.put("ramdisk", v));
      d.bootloader().ifPresent(v -> bInfo.put("bootloader", v));
      bInfo.putObject("type." + d.guestType().filter(t -> !t.equals("hvm")).orElse("hvm"));
      if (!d.disks().isEmpty()) {
        ArrayNode disks = config.putArray("disks");
        for (DiskSpec disk : d.disks()) {
          ObjectNode o = disks.addObject();
          disk.target().ifPresent(t -> o.put("pdev_path", t));
          o.put("vdev", disk.vdev());
          disk.format().ifPresent(f -> o.put("format", f));
          disk.script().ifPresent(f -> o.put("script", f));
          o.put("readwrite", disk.access().orElse(DiskSpec.Access.READ_WRITE) == DiskSpec.Access.READ_ONLY ? 0 : 1);
          if (disk.isCdrom()) {
            o.put("is_cdrom", 1);
          }
        }
      }
      if (!d.nics().isEmpty()) {
        ArrayNode nics = config.putArray("nics");
        for (int i = 0; i < d.nics().size(); i++) {
          VifSpec v = d.nics().get(i);
          ObjectNode o = nics.addObject();
          o.put("devid", i);
          v.mac().ifPresent(m -> o.put("mac", m.toString()));
          v.ips().stream().map(Ipv4Address::toString).reduce((a, b) -> a + " " + b).ifPresent(ip -> o.put("ip", ip));
          v.bridge().ifPresent(b -> o.put("bridge", b.value()));
          v.vifname().ifPresent(n -> o.put("ifname", n.value()));
          v.script().ifPresent(s -> o.put("script", s));
          v.model().ifPresent(s -> o.put("model", s));
          o.put("nictype", v.type().filter("ioemu"::equals).map(t -> "vif_ioemu").orElse("vif"));
        }
      }
      d.onPoweroff().ifPresent(v -> config.put("on_poweroff", v));
      d.onReboot().ifPresent(v -> config.put("on_reboot", v));
      d.onCrash().ifPresent(v -> config.put("on_crash", v));
    }
    try {
      return JSON.writer(XL_JSON_LAYOUT).writeValueAsString(all) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always renders", e);
    }
  }

  /** yajl's layout as xl configures it: four spaces, {@code "key": value}. */
  private static final DefaultPrettyPrinter XL_JSON_LAYOUT = new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
      .withObjectIndenter(new DefaultIndenter("    ", "\n"))
      .withArrayIndenter(new DefaultIndenter("    ", "\n"));

  /** Parses {@code xl list -l} JSON. */
  public static List<DomainDetails> parseListLongJson(String text, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      int col = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
      String what = e.getOriginalMessage();
      int nl = what.indexOf('\n');
      throw ParseFailedException.at(source, text, offset(text, line, col),
          "malformed JSON (truncated?): " + (nl < 0 ? what : what.substring(0, nl)));
    }
    if (root == null || !root.isArray()) {
      throw new ParseFailedException(source, 1, 0, "", "expected a JSON array of domains");
    }
    List<DomainDetails> out = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      String at = "[" + i + "]";
      JsonNode d = root.get(i);
      try {
        out.add(domainFromJson(d, at));
      } catch (IllegalArgumentException e) {
        throw new ParseFailedException(source, 0, 0, "", "domain " + at + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static int offset(String text, int line, int col) {
    int off = 0;
    for (int l = 1; l < line && off >= 0; l++) {
      off = text.indexOf('\n', off) + 1;
      if (off == 0) {
        return text.length();
      }
    }
    return Math.min(text.length(), off + Math.max(0, col - 1));
  }

  private static DomainDetails domainFromJson(JsonNode d, String at) {
    JsonNode domid = d.get("domid");
    JsonNode config = d.get("config");
    if (domid == null || !domid.canConvertToInt() || config == null || !config.isObject()) {
      throw new IllegalArgumentException("needs \"domid\" and \"config\"");
    }
    JsonNode cInfo = object(config, "c_info");
    JsonNode bInfo = object(config, "b_info");
    String name = text(cInfo, "name").orElseThrow(() -> new IllegalArgumentException("no config.c_info.name"));
    DomainDetails.Builder b = DomainDetails.builder().source(DomainDetails.Source.XL_JSON).domid(domid.asInt()).rawName(name);
    text(cInfo, "uuid").ifPresent(b::uuid);
    text(cInfo, "type").ifPresent(b::guestType);
    number(bInfo, "max_memkb").ifPresent(b::maxMemoryKib);
    number(bInfo, "target_memkb").ifPresent(b::targetMemoryKib);
    number(bInfo, "max_vcpus").ifPresent(v -> b.vcpus((int) v));
    JsonNode pv = bInfo.path("type.pv");
    firstText(bInfo, pv, "kernel").ifPresent(b::kernel);
    firstText(bInfo, pv, "ramdisk").ifPresent(b::ramdisk);
    firstText(bInfo, pv, "cmdline").ifPresent(b::cmdline);
    firstText(bInfo, pv, "bootloader").ifPresent(b::bootloader);
    text(config, "on_poweroff").ifPresent(b::onPoweroff);
    text(config, "on_reboot").ifPresent(b::onReboot);
    text(config, "on_crash").ifPresent(b::onCrash);
    JsonNode disks = config.path("disks");
    for (int i = 0; i < disks.size(); i++) {
      JsonNode disk = disks.get(i);
      String where = "config.disks[" + i + "]";
      try {
        DiskSpec.Builder db = DiskSpec.builder().vdev(text(disk, "vdev").orElseThrow(() -> new IllegalArgumentException("no vdev")));
        text(disk, "pdev_path").filter(p -> !p.isEmpty()).ifPresent(db::target);
        text(disk, "format").ifPresent(db::format);
        db.access(number(disk, "readwrite").orElse(1) == 0 ? DiskSpec.Access.READ_ONLY : DiskSpec.Access.READ_WRITE);
        if (number(disk, "is_cdrom").orElse(0) != 0) {
          db.deviceType(DiskSpec.DeviceType.CDROM);
        }
        text(disk, "script").ifPresent(db::script);
        b.addDisks(db.build());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    JsonNode nics = config.path("nics");
    for (int i = 0; i < nics.size(); i++) {
      JsonNode nic = nics.get(i);
      try {
        VifSpec.Builder vb = VifSpec.builder();
        text(nic, "mac").ifPresent(m -> vb.mac(MacAddress.of(m)));
        text(nic, "bridge").filter(s -> !s.isEmpty()).ifPresent(br -> vb.bridge(InterfaceName.of(br)));
        text(nic, "ip").ifPresent(ips -> words(ips).forEach(a -> vb.ip(Ipv4Address.of(a))));
        text(nic, "ifname").filter(s -> !s.isEmpty()).ifPresent(n -> vb.vifname(InterfaceName.of(n)));
        text(nic, "script").filter(s -> !s.isEmpty()).ifPresent(vb::script);
        text(nic, "model").filter(s -> !s.isEmpty()).ifPresent(vb::model);
        if (text(nic, "nictype").filter("vif_ioemu"::equals).isPresent()) {
          vb.type("ioemu");
        }
        b.addNics(vb.build());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("config.nics[" + i + "]: " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  private static JsonNode object(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("no object \"" + field + "\"");
    }
    return n;
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }

  private static Optional<String> firstText(JsonNode a, JsonNode b, String field) {
    Optional<String> v = text(a, field);
    return v.isPresent() ? v : text(b, field);
  }

  private static java.util.OptionalLong number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return java.util.OptionalLong.empty();
    }
    if (!v.canConvertToLong()) {
      throw new IllegalArgumentException("\"" + field + "\" is not a number: " + v);
    }
    return java.util.OptionalLong.of(v.asLong());
  }

  /** Parses {@code xm list --long} or the S-expressions of Xen 4.1's {@code xl list -l}. */
  public static List<DomainDetails> parseListLongSxp(String text, String source) {
    SxpDocument doc = SxpDocument.parse(text, source);
    List<Sxp> all = doc.expressions();
    List<DomainDetails> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      int line = doc.lineOf(i);
      if (!(all.get(i) instanceof SxpList d) || d.head().filter("domain"::equals).isEmpty()) {
        throw new ParseFailedException(source, line, 0, "", "expected (domain ...), found " + Sxp.compact(all.get(i)));
      }
      try {
        out.add(domainFromSxp(d));
      } catch (RuntimeException e) {
        throw new ParseFailedException(source, line, 0, "(domain", "domain " + d.value("name").orElse("?") + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static DomainDetails domainFromSxp(SxpList d) {
    boolean xl = d.child("max_memkb").isPresent() || d.child("create_info").isPresent();
    DomainDetails.Builder b = DomainDetails.builder().source(xl ? DomainDetails.Source.XL_SXP : DomainDetails.Source.XM_SXP);
    b.rawName(d.value("name").filter(n -> !n.isEmpty()).orElseThrow(() -> new IllegalArgumentException("no (name ...)")));
    d.value("domid").filter(v -> !v.isEmpty()).ifPresent(v -> b.domid(Integer.parseInt(v)));
    nonEmpty(d, "uuid").ifPresent(b::uuid);
    nonEmpty(d, "on_poweroff").ifPresent(b::onPoweroff);
    nonEmpty(d, "on_reboot").ifPresent(b::onReboot);
    nonEmpty(d, "on_crash").ifPresent(b::onCrash);
    nonEmpty(d, "bootloader").ifPresent(b::bootloader);
    Optional<SxpList> image = d.child("image");
    if (xl) {
      nonEmpty(d, "max_memkb").ifPresent(v -> b.maxMemoryKib(Long.parseLong(v)));
      nonEmpty(d, "target_memkb").ifPresent(v -> b.targetMemoryKib(Long.parseLong(v)));
      nonEmpty(d, "max_vcpus").ifPresent(v -> b.vcpus(Integer.parseInt(v)));
      b.guestType(nonEmpty(d, "hvm").filter("1"::equals).isPresent() ? "hvm" : "pv");
      image.ifPresent(img -> {
        nonEmpty(img, "kernel").ifPresent(b::kernel);
        nonEmpty(img, "ramdisk").ifPresent(b::ramdisk);
        nonEmpty(img, "cmdline").ifPresent(b::cmdline);
      });
    } else {
      nonEmpty(d, "memory").ifPresent(v -> b.targetMemoryKib(Long.parseLong(v) * 1024));
      nonEmpty(d, "maxmem").ifPresent(v -> b.maxMemoryKib(Long.parseLong(v) * 1024));
      nonEmpty(d, "vcpus").ifPresent(v -> b.vcpus(Integer.parseInt(v)));
      nonEmpty(d, "state").ifPresent(v -> b.state(DomainState.parse(v)));
      nonEmpty(d, "cpu_time").ifPresent(v -> b.cpuSeconds(Double.parseDouble(v)));
      image.flatMap(img -> img.tail().stream().filter(i -> i instanceof SxpList).map(i -> (SxpList) i).findFirst())
          .ifPresent(kind -> {
            kind.head().ifPresent(h -> b.guestType(h.equals("linux") ? "pv" : h));
            nonEmpty(kind, "kernel").ifPresent(b::kernel);
            nonEmpty(kind, "ramdisk").ifPresent(b::ramdisk);
            nonEmpty(kind, "args").ifPresent(b::cmdline);
          });
    }
    for (SxpList device : d.children("device")) {
      for (Sxp item : device.tail()) {
        if (!(item instanceof SxpList dev) || dev.head().isEmpty()) {
          continue;
        }
        String kind = dev.head().get();
        if (kind.equals("vbd") || kind.equals("tap") || kind.equals("tap2")) {
          b.addDisks(xl ? xlSxpDisk(dev) : xmDisk(dev));
        } else if (kind.equals("vif")) {
          b.addNics(sxpVif(dev));
        }
      }
    }
    return b.build();
  }

  private static Optional<String> nonEmpty(SxpList l, String field) {
    return l.value(field).filter(v -> !v.isEmpty());
  }

  private static DiskSpec xmDisk(SxpList dev) {
    String uname = nonEmpty(dev, "uname").orElse("");
    String vdev = nonEmpty(dev, "dev").orElseThrow(() -> new IllegalArgumentException("a vbd without (dev ...)"));
    String mode = nonEmpty(dev, "mode").orElse("");
    return DiskSpec.parse(uname + "," + vdev + (mode.isEmpty() ? "" : "," + mode));
  }

  private static DiskSpec xlSxpDisk(SxpList dev) {
    DiskSpec.Builder b = DiskSpec.builder()
        .vdev(firstNonEmpty(dev, "vdev", "virtpath").orElseThrow(() -> new IllegalArgumentException("a disk without (vdev ...)")));
    firstNonEmpty(dev, "pdev_path", "physpath").ifPresent(b::target);
    nonEmpty(dev, "format").ifPresent(b::format);
    nonEmpty(dev, "readwrite").ifPresent(rw -> b.access(rw.equals("0") ? DiskSpec.Access.READ_ONLY : DiskSpec.Access.READ_WRITE));
    if (nonEmpty(dev, "is_cdrom").filter("1"::equals).isPresent()) {
      b.deviceType(DiskSpec.DeviceType.CDROM);
    }
    nonEmpty(dev, "script").ifPresent(b::script);
    return b.build();
  }

  private static Optional<String> firstNonEmpty(SxpList l, String a, String b) {
    Optional<String> v = nonEmpty(l, a);
    return v.isPresent() ? v : nonEmpty(l, b);
  }

  private static VifSpec sxpVif(SxpList dev) {
    VifSpec.Builder b = VifSpec.builder();
    nonEmpty(dev, "mac").ifPresent(m -> b.mac(MacAddress.of(m)));
    nonEmpty(dev, "bridge").ifPresent(br -> b.bridge(InterfaceName.of(br)));
    nonEmpty(dev, "ip").ifPresent(ips -> words(ips).forEach(a -> b.ip(Ipv4Address.of(a))));
    firstNonEmpty(dev, "vifname", "ifname").ifPresent(n -> b.vifname(InterfaceName.of(n)));
    nonEmpty(dev, "script").ifPresent(b::script);
    nonEmpty(dev, "model").ifPresent(b::model);
    nonEmpty(dev, "type").ifPresent(b::type);
    return b.build();
  }
}
