package dev.midplane.network.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.sysfs.ArpValidate;
import dev.midplane.sysfs.BondMode;
import dev.midplane.sysfs.FailOverMac;
import dev.midplane.sysfs.PrimaryReselect;
import dev.midplane.sysfs.sim.KernelException;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedNet;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A simulated {@code ip} (iproute2 6.1): {@code link add|del|set|show}, {@code addr
 * add|del|show}, the options {@code -j}, {@code -d}, {@code -o}, {@code -force} and {@code -batch
 * FILE|-}. Names are resolved first, as iproute2 does ({@code Cannot find device "x"}, exit 1);
 * what the kernel refuses comes back as iproute2 prints it ({@code Error: <extended ack>.} or
 * {@code RTNETLINK answers: <strerror>}, exit 2); a batch stops at the first failing line with
 * {@code Command failed FILE:LINE} and exit 1, every earlier line's change made, as the real one.
 *
 * <p>Bond options reach the simulated kernel in the order {@code bond_changelink()} applies them,
 * with its checks: ARP monitoring and MII monitoring in one request are refused, ARP targets are
 * replaced as a whole. Bond options the simulated kernel does not model (xmit_hash_policy, LACP
 * settings, …) are refused with a message saying so.
 */
final class IpTool {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** The order in which bond_changelink() (Linux 6.1) applies the options it is given. */
  private static final List<String> BOND_ORDER = List.of("mode", "active_slave", "miimon", "updelay", "downdelay",
      "arp_interval", "arp_ip_target", "arp_validate", "primary", "primary_reselect", "fail_over_mac");
  private static final Set<String> NUMERIC = Set.of("miimon", "updelay", "downdelay", "arp_interval");

  private final SimulatedKernel kernel;
  private final SimulatedNet net;

  IpTool(SimulatedKernel kernel) {
    this.kernel = kernel;
    this.net = kernel.net();
  }

  private record Opts(boolean json, boolean details, boolean oneline, boolean force, Optional<String> batch) {}

  Reply handle(SimulatedRunner.Invocation inv) {
    try {
      return run(inv.args(), inv.stdin());
    } catch (ToolError e) {
      return e.reply();
    }
  }

  private Reply run(List<String> args, Optional<String> stdin) {
    boolean json = false;
    boolean details = false;
    boolean oneline = false;
    boolean force = false;
    Optional<String> batch = Optional.empty();
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("-") && args.get(i).length() > 1) {
      String a = args.get(i);
      switch (a) {
        case "-j", "-json" -> json = true;
        case "-d", "-details" -> details = true;
        case "-o", "-oneline" -> oneline = true;
        case "-4", "-s", "-stats", "-statistics" -> {
          // IPv4 is all this simulation has; no statistics are kept
        }
        case "-force" -> force = true;
        case "-batch", "-b" -> {
          if (i + 1 >= args.size()) {
            throw new ToolError(255, "Option \"-batch\" needs a file name; try \"ip -help\".");
          }
          batch = Optional.of(args.get(++i));
        }
        default -> throw new ToolError(255, "Option \"" + a + "\" is unknown, try \"ip -help\".");
      }
      i++;
    }
    Opts o = new Opts(json, details, oneline, force, batch);
    if (batch.isEmpty()) {
      return Reply.ok(command(o, args.subList(i, args.size())));
    }
    String file = batch.get();
    String text = file.equals("-") ? stdin.orElse("") : readFile(file);
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      List<String> words = makeargs(line);
      if (words.isEmpty()) {
        continue;
      }
      try {
        out.append(command(o, words));
      } catch (ToolError e) {
        err.append(e.getMessage()).append('\n').append("Command failed ").append(file).append(':').append(n).append('\n');
        if (!force) {
          break;
        }
      }
    }
    return err.length() == 0 ? Reply.ok(out.toString()) : new Reply(1, out.toString(), err.toString());
  }

  private String readFile(String file) {
    try {
      return Files.readString(kernel.host().path(file));
    } catch (IOException | IllegalArgumentException e) {
      throw new ToolError(255, "Cannot open file \"" + file + "\" for batch.");
    }
  }

  /** iproute2's makeargs(): blank-separated words, "…" and '…' quoting, # starts a comment. */
  static List<String> makeargs(String line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        break;
      } else if (c == '"' || c == '\'') {
        int end = line.indexOf(c, i + 1);
        if (end < 0) {
          throw new ToolError(255, "Unterminated quoted string");
        }
        out.add(line.substring(i + 1, end));
        i = end + 1;
      } else {
        int start = i;
        while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
          i++;
        }
        out.add(line.substring(start, i));
      }
    }
    return out;
  }

  private String command(Opts o, List<String> t) {
    if (t.isEmpty()) {
      throw new ToolError(255, "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }");
    }
    String object = t.get(0);
    List<String> rest = t.subList(1, t.size());
    if (List.of("link", "l", "li", "lin").contains(object)) {
      return link(o, rest);
    }
    if (List.of("address", "addr", "a", "ad", "add").contains(object)) {
      return addr(o, rest);
    }
    throw new ToolError(255, "Object \"" + object + "\" is unknown, try \"ip help\".");
  }

  // ------------------------------------------------------------------ link

  private String link(Opts o, List<String> t) {
    String cmd = t.isEmpty() ? "show" : t.get(0);
    List<String> rest = t.isEmpty() ? List.of() : t.subList(1, t.size());
    return switch (cmd) {
      case "add" -> {
        linkAdd(rest);
        yield "";
      }
      case "del", "delete" -> {
        linkDel(rest);
        yield "";
      }
      case "set", "change" -> {
        linkSet(rest);
        yield "";
      }
      case "show", "list", "lst", "sh", "ls" -> linkShow(o, rest);
      default -> throw new ToolError(255, "Command \"" + cmd + "\" is unknown, try \"ip link help\".");
    };
  }

  private InterfaceName existing(String name) {
    if (!InterfaceName.isValid(name) || net.link(InterfaceName.of(name)).isEmpty()) {
      throw ToolError.noDevice(name);
    }
    return InterfaceName.of(name);
  }

  private static InterfaceName newName(String name) {
    if (!InterfaceName.isValid(name)) {
      throw ToolError.badArgument(name, "\"name\" not a valid ifname");
    }
    return InterfaceName.of(name);
  }

  private static String need(List<String> t, int i, String what) {
    if (i >= t.size()) {
      throw new ToolError(255, "Command line is not complete. Try option \"help\"");
    }
    return t.get(i);
  }

  private void linkAdd(List<String> t) {
    String parent = null;
    String name = null;
    String type = null;
    Integer mtu = null;
    String address = null;
    int i = 0;
    for (; i < t.size(); i++) {
      String w = t.get(i);
      switch (w) {
        case "link" -> parent = need(t, ++i, w);
        case "name", "dev" -> name = need(t, ++i, w);
        case "mtu" -> mtu = number(need(t, ++i, w), "mtu");
        case "address" -> address = need(t, ++i, w);
        case "type" -> type = need(t, ++i, w);
        default -> {
          if (name != null) {
            throw new ToolError(255, "Garbage instead of arguments \"" + w + " ...\". Try \"ip link help\".");
          }
          name = w;
        }
      }
      if (type != null) {
        i++;
        break;
      }
    }
    if (name == null) {
      throw new ToolError(255, "Not enough information: \"dev\" argument is required.");
    }
    if (type == null) {
      throw new ToolError(2, "Error: Unknown device type.");
    }
    InterfaceName dev = newName(name);
    InterfaceName lower = parent == null ? null : existing(parent);
    List<String> args = t.subList(i, t.size());
    if (net.link(dev).isPresent()) {
      throw new ToolError(2, "RTNETLINK answers: File exists");
    }
    try {
      switch (type) {
        case "bond" -> {
          Map<String, String> opts = bondArgs(args);
          net.createBond(dev);
          undoOnFailure(dev, () -> applyBond(dev, opts));
        }
        case "bridge" -> {
          Map<String, Integer> opts = bridgeArgs(args);
          net.createBridge(dev);
          undoOnFailure(dev, () -> applyBridge(dev, opts));
        }
        case "vlan" -> {
          int id = vlanArgs(args);
          if (lower == null) {
            throw ToolError.extack("8021q: link not specified");
          }
          net.createVlan(dev, lower, id);
        }
        case "veth" -> {
          InterfaceName peer;
          if (args.isEmpty()) {
            int k = 0;
            while (net.link(InterfaceName.of("veth" + k)).isPresent()) {
              k++;
            }
            peer = InterfaceName.of("veth" + k); // the kernel names a peer nobody named
          } else if (args.get(0).equals("peer")) {
            peer = newName(need(args, args.size() > 1 && args.get(1).equals("name") ? 2 : 1, "peer"));
          } else {
            throw new ToolError(255, "veth: unknown command \"" + args.get(0) + "\"?");
          }
          net.createVethPair(dev, peer);
        }
        case "dummy" -> net.createDummy(dev);
        default -> throw new ToolError(2, "Error: Unknown device type.");
      }
    } catch (KernelException e) {
      throw ToolError.rtnetlink(e);
    }
    Integer m = mtu;
    String a = address;
    undoOnFailure(dev, () -> {
      try {
        if (a != null) {
          net.setAddress(dev, mac(a));
        }
        if (m != null) {
          net.setMtu(dev, m);
        }
      } catch (KernelException e) {
        throw ToolError.rtnetlink(e);
      }
    });
  }

  /** The kernel does not register a device whose creation request it refused. */
  private void undoOnFailure(InterfaceName dev, Runnable configure) {
    try {
      configure.run();
    } catch (ToolError | KernelException e) {
      net.delete(dev);
      throw e instanceof KernelException k ? ToolError.rtnetlink(k) : (ToolError) e;
    }
  }

  private static MacAddress mac(String text) {
    if (!MacAddress.isValid(text)) {
      throw new ToolError(1, "\"" + text + "\" is invalid lladdr.");
    }
    return MacAddress.of(text);
  }

  private static int number(String v, String what) {
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ToolError.badArgument(v, "invalid " + what);
    }
  }

  private int vlanArgs(List<String> args) {
    Integer id = null;
    for (int i = 0; i < args.size(); i++) {
      String w = args.get(i);
      switch (w) {
        case "id" -> id = number(need(args, ++i, w), "id");
        case "protocol" -> {
          String p = need(args, ++i, w);
          if (!p.equalsIgnoreCase("802.1Q")) {
            throw new ToolError(2, "Error: the simulated kernel knows only 802.1Q VLANs, not " + p + ".");
          }
        }
        default -> throw new ToolError(255, "vlan: unknown command \"" + w + "\"?");
      }
    }
    if (id == null) {
      throw ToolError.extack("8021q: VLAN id not specified");
    }
    return id;
  }

  private static Map<String, Integer> bridgeArgs(List<String> args) {
    Map<String, Integer> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String w = args.get(i);
      if (!Set.of("stp_state", "forward_delay", "ageing_time").contains(w)) {
        throw new ToolError(255, "bridge: unknown command \"" + w + "\"?");
      }
      opts.put(w, number(need(args, ++i, w), w));
    }
    return opts;
  }

  private void applyBridge(InterfaceName br, Map<String, Integer> opts) {
    // br_changelink(): stp_state is set before the forward delay, the ageing time after
    Integer stp = opts.get("stp_state");
    if (stp != null) {
      net.setBridgeStp(br, stp != 0);
    }
    if (opts.containsKey("forward_delay")) {
      net.setBridgeForwardDelay(br, opts.get("forward_delay"));
    }
    if (opts.containsKey("ageing_time")) {
      net.setBridgeAgeingTime(br, opts.get("ageing_time"));
    }
  }

  /** iproute2's parsing of {@code type bond} arguments: names and numbers checked, devices resolved. */
  private Map<String, String> bondArgs(List<String> args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String key = args.get(i);
      String v = need(args, ++i, key);
      switch (key) {
        case "mode" -> {
          if (BondMode.fromOption(v).isEmpty()) {
            throw ToolError.badArgument(v, "invalid mode");
          }
        }
        case "miimon", "updelay", "downdelay", "arp_interval" -> number(v, key);
        case "arp_ip_target" -> {
          for (String a : v.split(",")) {
            if (!a.isEmpty() && !Ipv4Address.isValid(a)) {
              throw new ToolError(1, "Error: an IP address is expected rather than \"" + a + "\".");
            }
          }
        }
        case "arp_validate" -> {
          if (ArpValidate.fromOption(v).isEmpty()) {
            throw ToolError.badArgument(v, "invalid arp_validate");
          }
        }
        case "fail_over_mac" -> {
          if (FailOverMac.fromOption(v).isEmpty()) {
            throw ToolError.badArgument(v, "invalid fail_over_mac");
          }
        }
        case "primary_reselect" -> {
          if (PrimaryReselect.fromOption(v).isEmpty()) {
            throw ToolError.badArgument(v, "invalid primary_reselect");
          }
        }
        case "primary", "active_slave" -> existing(v);
        case "xmit_hash_policy", "lacp_rate", "lacp_active", "ad_select", "arp_all_targets", "use_carrier",
            "num_grat_arp", "num_unsol_na", "resend_igmp", "all_slaves_active", "min_links", "lp_interval",
            "packets_per_slave", "tlb_dynamic_lb", "peer_notify_delay", "arp_missed_max", "ad_actor_sys_prio",
            "ad_user_port_key", "ad_actor_system", "ns_ip6_target" ->
            throw new ToolError(2, "Error: the simulated kernel does not model bonding option " + key + ".");
        default -> throw new ToolError(255, "bond: unknown command \"" + key + "\"?");
      }
      opts.put(key, v);
    }
    return opts;
  }

  /** bond_changelink(): each option in the kernel's order, with its checks. */
  private void applyBond(InterfaceName bond, Map<String, String> opts) {
    boolean miimonInRequest = opts.containsKey("miimon") && !opts.get("miimon").equals("0");
    for (String key : BOND_ORDER) {
      String v = opts.get(key);
      if (v == null) {
        continue;
      }
      if (key.equals("arp_interval") && !v.equals("0") && miimonInRequest) {
        throw ToolError.extack("ARP monitoring cannot be used with MII monitoring");
      }
      if (key.equals("arp_validate") && ArpValidate.fromOption(v).orElseThrow() != ArpValidate.NONE && miimonInRequest) {
        throw ToolError.extack("ARP validating cannot be used with MII monitoring");
      }
      try {
        if (key.equals("arp_ip_target")) {
          SimulatedNet.Link l = net.link(bond).orElseThrow();
          for (Ipv4Address old : l.bond().orElseThrow().arpIpTargets()) {
            net.setBondOption(bond, key, "-" + old);
          }
          for (String a : v.split(",")) {
            if (!a.isEmpty()) {
              net.setBondOption(bond, key, "+" + a);
            }
          }
        } else {
          net.setBondOption(bond, key, v);
        }
      } catch (KernelException e) {
        throw bondRefusal(e);
      }
    }
  }

  /** How a refused bond option reaches iproute2 over netlink (Linux 6.1's extended acks). */
  private static ToolError bondRefusal(KernelException e) {
    return switch (e.errnoName()) {
      case "ENOTEMPTY" -> ToolError.extack("unable to set option because the bond device has slaves");
      case "EBUSY" -> ToolError.extack("unable to set option because the bond is up");
      case "EACCES" -> ToolError.extack("option not supported in mode");
      case "EINVAL" -> ToolError.extack("invalid option value");
      default -> new ToolError(2, "RTNETLINK answers: " + e.strerror());
    };
  }

  private void linkDel(List<String> t) {
    String name = t.isEmpty() ? null : t.get(0).equals("dev") && t.size() > 1 ? t.get(1) : t.get(0);
    if (name == null) {
      throw new ToolError(255, "Not enough information: \"dev\" argument is required.");
    }
    InterfaceName dev = existing(name);
    try {
      net.delete(dev);
    } catch (KernelException e) {
      throw ToolError.rtnetlink(e);
    }
  }

  private void linkSet(List<String> t) {
    int i = 0;
    if (!t.isEmpty() && t.get(0).equals("dev")) {
      i++;
    }
    InterfaceName dev = existing(need(t, i, "dev"));
    Boolean up = null;
    Optional<InterfaceName> master = null;
    Integer mtu = null;
    MacAddress address = null;
    String type = null;
    List<String> typeArgs = List.of();
    for (i++; i < t.size(); i++) {
      String w = t.get(i);
      switch (w) {
        case "up" -> up = true;
        case "down" -> up = false;
        case "master" -> master = Optional.of(existing(need(t, ++i, w)));
        case "nomaster" -> master = Optional.empty();
        case "mtu" -> mtu = number(need(t, ++i, w), "mtu");
        case "address" -> address = mac(need(t, ++i, w));
        case "type" -> {
          type = need(t, ++i, w);
          typeArgs = t.subList(i + 1, t.size());
          i = t.size();
        }
        default -> throw new ToolError(255, "Error: either \"dev\" is duplicate, or \"" + w + "\" is a garbage.");
      }
    }
    SimulatedNet.Link l = net.link(dev).orElseThrow();
    try {
      if (type != null) {
        boolean matches = type.equals("bond") && l.kind() == SimulatedNet.Kind.BOND
            || type.equals("bridge") && l.kind() == SimulatedNet.Kind.BRIDGE;
        if (!matches) {
          throw new ToolError(2, "RTNETLINK answers: Operation not supported");
        }
        if (type.equals("bond")) {
          applyBond(dev, bondArgs(typeArgs));
        } else {
          applyBridge(dev, bridgeArgs(typeArgs));
        }
      }
      if (address != null) {
        net.setAddress(dev, address);
      }
      if (mtu != null) {
        net.setMtu(dev, mtu);
      }
      if (master != null) {
        if (master.isPresent()) {
          net.setMaster(dev, master.get());
        } else {
          net.clearMaster(dev);
        }
      }
      if (up != null) {
        net.setUp(dev, up);
      }
    } catch (KernelException e) {
      throw ToolError.rtnetlink(e);
    }
  }

  private String linkShow(Opts o, List<String> t) {
    List<SimulatedNet.Link> links = net.links();
    String name = null;
    String type = null;
    for (int i = 0; i < t.size(); i++) {
      String w = t.get(i);
      if (w.equals("dev")) {
        name = need(t, ++i, w);
      } else if (w.equals("type")) {
        type = need(t, ++i, w);
      } else if (name == null) {
        name = w;
      } else {
        throw new ToolError(255, "Error: either \"dev\" is duplicate, or \"" + w + "\" is a garbage.");
      }
    }
    String n = name;
    String k = type;
    List<SimulatedNet.Link> shown = links.stream().filter(l -> n == null || l.name().value().equals(n))
        .filter(l -> k == null || kindName(l).equals(k)).toList();
    if (n != null && shown.isEmpty() && k == null) {
      throw new ToolError(1, "Device \"" + n + "\" does not exist.");
    }
    IpOutput out = new IpOutput(kernel, links);
    if (o.json()) {
      ArrayNode a = F.arrayNode();
      shown.forEach(l -> a.add(out.json(l, o.details(), Optional.empty())));
      return a + "\n";
    }
    StringBuilder b = new StringBuilder();
    shown.forEach(l -> b.append(out.text(l)));
    return b.toString();
  }

  private static String kindName(SimulatedNet.Link l) {
    return switch (l.kind()) {
      case BOND -> "bond";
      case BRIDGE -> "bridge";
      case VLAN -> "vlan";
      case VETH -> "veth";
      case DUMMY -> "dummy";
      default -> "";
    };
  }

  // ------------------------------------------------------------------ addr

  private String addr(Opts o, List<String> t) {
    String cmd = t.isEmpty() ? "show" : t.get(0);
    List<String> rest = t.isEmpty() ? List.of() : t.subList(1, t.size());
    return switch (cmd) {
      case "add", "del", "delete" -> {
        addrChange(!cmd.equals("add"), rest);
        yield "";
      }
      case "show", "list", "lst", "sh", "ls" -> addrShow(o, rest);
      default -> throw new ToolError(255, "Command \"" + cmd + "\" is unknown, try \"ip addr help\".");
    };
  }

  private void addrChange(boolean delete, List<String> t) {
    String prefix = null;
    String dev = null;
    for (int i = 0; i < t.size(); i++) {
      String w = t.get(i);
      if (w.equals("dev")) {
        dev = need(t, ++i, w);
      } else if (prefix == null) {
        prefix = w;
      }
    }
    if (prefix == null || dev == null) {
      throw new ToolError(1, "Not enough information: \"dev\" argument is required.");
    }
    int slash = prefix.indexOf('/');
    String a = slash < 0 ? prefix : prefix.substring(0, slash);
    int len;
    try {
      len = slash < 0 ? 32 : Integer.parseInt(prefix.substring(slash + 1));
    } catch (NumberFormatException e) {
      len = -1;
    }
    if (!Ipv4Address.isValid(a) || len < 0 || len > 32) {
      throw new ToolError(1, "Error: any valid prefix is expected rather than \"" + prefix + "\".");
    }
    InterfaceName d = existing(dev);
    try {
      if (delete) {
        if (!net.deleteAddress(d, Ipv4Address.of(a), len)) {
          throw new ToolError(2, "RTNETLINK answers: Cannot assign requested address");
        }
      } else {
        net.addAddress(d, Ipv4Address.of(a), len);
      }
    } catch (KernelException e) {
      throw ToolError.rtnetlink(e);
    }
  }

  private String addrShow(Opts o, List<String> t) {
    String name = null;
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i).equals("dev")) {
        name = need(t, ++i, "dev");
      } else if (name == null) {
        name = t.get(i);
      }
    }
    if (name != null) {
      existing(name);
    }
    String n = name;
    List<SimulatedNet.Link> links = net.links();
    List<SimulatedNet.Address> addresses = net.addresses();
    IpOutput out = new IpOutput(kernel, links);
    List<SimulatedNet.Link> shown = links.stream().filter(l -> n == null || l.name().value().equals(n)).toList();
    StringBuilder b = new StringBuilder();
    ArrayNode a = F.arrayNode();
    for (SimulatedNet.Link l : shown) {
      List<SimulatedNet.Address> own = addresses.stream().filter(x -> x.device().equals(l.name())).toList();
      if (o.json()) {
        a.add(out.json(l, o.details(), Optional.of(own)));
      } else if (o.oneline()) {
        own.forEach(x -> b.append(IpOutput.oneLine(l, x)));
      } else {
        b.append(out.text(l));
        own.forEach(x -> b.append("    inet ").append(x.address()).append('/').append(x.prefixLength()).append(" scope ")
            .append(x.scope()).append(' ').append(l.name()).append("\n       valid_lft forever preferred_lft forever\n"));
      }
    }
    return o.json() ? a + "\n" : b.toString();
  }
}
