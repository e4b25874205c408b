package dev.midplane.network.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.sysfs.sim.KernelException;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedNet;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * A simulated {@code bridge} (iproute2 6.1: {@code bridge [-j] link [show]}) and {@code brctl}
 * (bridge-utils 1.7: {@code show [BRIDGE]}, {@code addbr}, {@code delbr}, {@code addif},
 * {@code delif}, {@code stp}, {@code setfd}, {@code setageing}), with bridge-utils' messages and
 * exit codes as captured from the real one.
 */
final class BridgeTools {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final SimulatedKernel kernel;
  private final SimulatedNet net;

  BridgeTools(SimulatedKernel kernel) {
    this.kernel = kernel;
    this.net = kernel.net();
  }

  Reply bridge(SimulatedRunner.Invocation inv) {
    List<String> args = inv.args();
    boolean json = false;
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("-")) {
      if (args.get(i).equals("-j") || args.get(i).equals("-json")) {
        json = true;
      } else if (!args.get(i).equals("-d") && !args.get(i).equals("-details")) {
        return Reply.fail(255, "Option \"" + args.get(i) + "\" is unknown, try \"bridge help\".");
      }
      i++;
    }
    List<String> rest = args.subList(i, args.size());
    if (rest.isEmpty() || !List.of("link", "l", "li", "lin").contains(rest.get(0))
        || rest.size() > 1 && !List.of("show", "list", "lst", "sh").contains(rest.get(1))) {
      return Reply.fail(255, "the simulated bridge knows only \"bridge [-j] link [show]\"");
    }
    List<SimulatedNet.Link> links = net.links();
    IpOutput out = new IpOutput(kernel, links);
    List<SimulatedNet.Link> ports = links.stream().filter(l -> l.bridgePortState().isPresent()).toList();
    if (json) {
      ArrayNode a = F.arrayNode();
      ports.forEach(p -> a.add(out.bridgePortJson(p)));
      return Reply.ok(a + "\n");
    }
    StringBuilder b = new StringBuilder();
    ports.forEach(p -> b.append(out.bridgePortText(p)));
    return Reply.ok(b.toString());
  }

  Reply brctl(SimulatedRunner.Invocation inv) {
    List<String> a = inv.args();
    if (a.isEmpty()) {
      return Reply.fail(1, "Usage: brctl [commands]");
    }
    try {
      return switch (a.get(0)) {
        case "--version", "-V" -> Reply.ok("bridge-utils, 1.7\n");
        case "show" -> Reply.ok(show(a.size() > 1 ? Optional.of(a.get(1)) : Optional.empty()));
        case "addbr" -> {
          String br = arg(a, 1);
          if (find(br).isPresent()) {
            yield fail("device " + br + " already exists; can't create bridge with the same name");
          }
          net.createBridge(name(br));
          yield Reply.ok();
        }
        case "delbr" -> {
          String br = arg(a, 1);
          Optional<SimulatedNet.Link> l = find(br).filter(x -> x.kind() == SimulatedNet.Kind.BRIDGE);
          if (l.isEmpty()) {
            yield fail("bridge " + br + " doesn't exist; can't delete it");
          }
          if (l.get().up()) {
            yield fail("bridge " + br + " is still up; can't delete it");
          }
          net.delete(name(br));
          yield Reply.ok();
        }
        case "addif" -> addif(arg(a, 1), arg(a, 2));
        case "delif" -> delif(arg(a, 1), arg(a, 2));
        case "stp" -> {
          SimulatedNet.Link br = bridgeOrFail(arg(a, 1));
          String v = arg(a, 2);
          net.setBridgeStp(br.name(), v.equals("on") || v.equals("yes") || v.equals("1"));
          yield Reply.ok();
        }
        case "setfd", "setageing" -> {
          SimulatedNet.Link br = bridgeOrFail(arg(a, 1));
          int cs = new BigDecimal(arg(a, 2)).movePointRight(2).intValue();
          try {
            if (a.get(0).equals("setfd")) {
              net.setBridgeForwardDelay(br.name(), cs);
            } else {
              net.setBridgeAgeingTime(br.name(), cs);
            }
          } catch (KernelException e) {
            yield fail("set " + (a.get(0).equals("setfd") ? "forward delay" : "ageing time") + " failed: " + e.strerror());
          }
          yield Reply.ok();
        }
        default -> Reply.fail(1, "never heard of command [" + a.get(0) + "]");
      };
    } catch (ToolError e) {
      return e.reply();
    } catch (NumberFormatException e) {
      return fail("bad value: " + e.getMessage());
    }
  }

  private static Reply fail(String message) {
    return Reply.fail(1, message);
  }

  private static String arg(List<String> a, int i) {
    if (i >= a.size()) {
      throw new ToolError(1, "Incorrect number of arguments for command");
    }
    return a.get(i);
  }

  private static InterfaceName name(String n) {
    if (!InterfaceName.isValid(n)) {
      throw new ToolError(1, "bridge name " + n + " is not valid");
    }
    return InterfaceName.of(n);
  }

  private Optional<SimulatedNet.Link> find(String n) {
    return InterfaceName.isValid(n) ? net.link(InterfaceName.of(n)) : Optional.empty();
  }

  private SimulatedNet.Link bridgeOrFail(String br) {
    return find(br).filter(x -> x.kind() == SimulatedNet.Kind.BRIDGE)
        .orElseThrow(() -> new ToolError(1, "bridge " + br + " does not exist!"));
  }

  private Reply addif(String br, String port) {
    SimulatedNet.Link b = bridgeOrFail(br);
    SimulatedNet.Link p = find(port).orElseThrow(() -> new ToolError(1, "interface " + port + " does not exist!"));
    if (p.kind() == SimulatedNet.Kind.BRIDGE) {
      return fail("device " + port + " is a bridge device itself; can't add a bridge device to a bridge device.");
    }
    if (p.master().isPresent()) {
      return fail("device " + port + " is already a member of a bridge; can't add it to bridge " + br + ".");
    }
    try {
      net.setMaster(p.name(), b.name());
    } catch (KernelException e) {
      return fail("can't add " + port + " to bridge " + br + ": " + e.strerror());
    }
    return Reply.ok();
  }

  private Reply delif(String br, String port) {
    SimulatedNet.Link b = bridgeOrFail(br);
    SimulatedNet.Link p = find(port).orElseThrow(() -> new ToolError(1, "interface " + port + " does not exist!"));
    if (!p.master().equals(Optional.of(b.name()))) {
      return fail("device " + port + " is not a port of " + br);
    }
    net.clearMaster(p.name());
    return Reply.ok();
  }

  /** {@code brctl show}: nothing at all without bridges, else a header and one block per bridge. */
  private String show(Optional<String> only) {
    List<SimulatedNet.Link> links = net.links();
    List<SimulatedNet.Link> bridges = links.stream().filter(l -> l.kind() == SimulatedNet.Kind.BRIDGE)
        .filter(l -> only.isEmpty() || l.name().value().equals(only.get())).sorted((x, y) -> x.name().compareTo(y.name()))
        .toList();
    if (only.isPresent() && bridges.isEmpty()) {
      throw new ToolError(1, "bridge " + only.get() + " does not exist!");
    }
    if (bridges.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("bridge name\tbridge id\t\tSTP enabled\tinterfaces\n");
    for (SimulatedNet.Link br : bridges) {
      b.append(br.name()).append("\t\t8000.").append(br.address().toString().replace(":", "")).append('\t')
          .append(br.bridge().map(d -> d.stpEnabled()).orElse(false) ? "yes" : "no").append("\t\t");
      List<String> ports = links.stream().filter(l -> l.master().equals(Optional.of(br.name())))
          .map(l -> l.name().value()).sorted().toList();
      for (int i = 0; i < ports.size(); i++) {
        b.append(i == 0 ? "" : "\t\t\t\t\t\t\t").append(ports.get(i)).append('\n');
      }
      if (ports.isEmpty()) {
        b.append('\n');
      }
    }
    return b.toString();
  }
}
