package dev.midplane.multipath.sim;

import dev.midplane.core.exec.Reply;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import dev.midplane.sysfs.sim.KernelException;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The simulated {@code dmsetup} (device-mapper 1.02.185): {@code ls} (with {@code --target} and
 * {@code --tree}), {@code table}, {@code status}, {@code info} (with {@code -c}), {@code deps}
 * (with {@code -o devname}), {@code create}, {@code reload}, {@code suspend}, {@code resume},
 * {@code clear}, {@code remove} and {@code rename}, in the real output formats and with the real
 * messages and exit code 1 when the kernel refuses.
 */
final class DmsetupCommand {
  private static final String NO_DEVICES = "No devices found\n";
  private static final Reply NO_SUCH_DEVICE = new Reply(1, "", "Device does not exist.\nCommand failed.\n");

  private final SimulatedMultipathTools tools;

  DmsetupCommand(SimulatedMultipathTools tools) {
    this.tools = tools;
  }

  /** The parsed command line: the command, its names, and the options that matter. */
  private static final class Line {
    String command;
    final List<String> names = new ArrayList<>();
    String target;
    String table;
    String uuid;
    String output;
    boolean tree;
    boolean columns;
  }

  Reply run(List<String> args, Optional<String> stdin) {
    Line l = new Line();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--target", "--table", "-u", "--uuid", "-o" -> {
          if (i + 1 >= args.size()) {
            return new Reply(1, "", "dmsetup: option '" + a + "' requires an argument\nCommand failed.\n");
          }
          String v = args.get(++i);
          switch (a) {
            case "--target" -> l.target = v;
            case "--table" -> l.table = v;
            case "-o" -> l.output = v;
            default -> l.uuid = v;
          }
        }
        case "--tree" -> l.tree = true;
        case "-c", "-C", "--columns" -> l.columns = true;
        default -> {
          if (a.startsWith("-")) {
            return new Reply(1, "", "dmsetup: unrecognized option '" + a + "'\nCommand failed.\n");
          }
          if (l.command == null) {
            l.command = a;
          } else {
            l.names.add(a);
          }
        }
      }
    }
    if (l.command == null) {
      return new Reply(1, "", "Usage:\n\ndmsetup\n        [--version] [-h|--help [-c|-C|--columns]]\nCommand failed.\n");
    }
    SimulatedDeviceMapper dm = tools.dm();
    String name = l.names.isEmpty() ? null : l.names.get(0);
    if (name == null && List.of("create", "reload", "suspend", "resume", "clear", "remove", "rename", "deps").contains(l.command)) {
      return new Reply(1, "", "Please specify device.\nCommand failed.\n");
    }
    try {
      return switch (l.command) {
        case "ls" -> new Reply(0, l.tree ? tree() : ls(l.target), "");
        case "table", "status" -> targets(l.command.equals("table"), name);
        case "info" -> info(name, l.columns);
        case "deps" -> deps(name, "devname".equals(l.output));
        case "create" -> {
          String t = l.table != null ? l.table : stdin.orElse("");
          dm.create(name, Optional.ofNullable(l.uuid), parse(t));
          yield new Reply(0, "", "");
        }
        case "reload" -> {
          require(name);
          dm.load(name, parse(l.table != null ? l.table : stdin.orElse("")));
          yield new Reply(0, "", "");
        }
        case "suspend" -> act(name, () -> dm.suspend(name));
        case "resume" -> act(name, () -> dm.resume(name));
        case "clear" -> act(name, () -> dm.clear(name));
        case "remove" -> act(name, () -> dm.remove(name));
        case "rename" -> {
          if (l.names.size() != 2) {
            yield new Reply(1, "", "Please specify old and new names.\nCommand failed.\n");
          }
          yield act(name, () -> dm.rename(name, l.names.get(1)));
        }
        default -> new Reply(1, "", "Unknown command: " + l.command + "\nCommand failed.\n");
      };
    } catch (NotThere e) {
      // info asks first and says so; the other commands go straight to their ioctl, which fails ENXIO
      return l.command.equals("info") ? NO_SUCH_DEVICE : new Reply(1, "", "device-mapper: " + l.command + " ioctl on "
          + name + "  failed: No such device or address\nCommand failed.\n");
    } catch (KernelException e) {
      return new Reply(1, "", "device-mapper: " + l.command + " ioctl on " + name + "  failed: " + e.strerror()
          + "\nCommand failed.\n");
    } catch (IllegalArgumentException e) {
      return new Reply(1, "", "Invalid format on line 1 of table on stdin\nCommand failed.\n");
    }
  }

  /** The named device is not there. */
  private static final class NotThere extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotThere() {
      super(null, null, false, false);
    }
  }

  private SimulatedDeviceMapper.Device require(String name) {
    return tools.device(name).orElseThrow(NotThere::new);
  }

  private Reply act(String name, Runnable action) {
    require(name);
    action.run();
    return new Reply(0, "", "");
  }

  /** One table line {@code start length type params}; several lines make several targets. */
  private static SimulatedDeviceMapper.Table parse(String text) {
    List<SimulatedDeviceMapper.Target> targets = new ArrayList<>();
    for (String line : text.strip().split("\n")) {
      String[] w = line.strip().split("\\s+", 4);
      if (w.length < 3) {
        throw new IllegalArgumentException("bad table line");
      }
      targets.add(new SimulatedDeviceMapper.Target(Long.parseLong(w[0]), Long.parseLong(w[1]), w[2],
          w.length == 4 ? w[3] : ""));
    }
    return new SimulatedDeviceMapper.Table(targets);
  }

  private List<SimulatedDeviceMapper.Device> devices() {
    return tools.dm().devices();
  }

  private String ls(String target) {
    StringBuilder b = new StringBuilder();
    for (SimulatedDeviceMapper.Device d : devices()) {
      if (target == null || d.table().map(t -> t.targets().stream().anyMatch(x -> x.type().equals(target))).orElse(false)) {
        b.append(d.name()).append('\t').append('(').append(d.dev()).append(")\n");
      }
    }
    return b.length() == 0 ? NO_DEVICES : b.toString();
  }

  /** {@code ls --tree}: devices nobody is built on at the top, what each is built on below it. */
  private String tree() {
    List<SimulatedDeviceMapper.Device> all = devices();
    if (all.isEmpty()) {
      return NO_DEVICES;
    }
    StringBuilder b = new StringBuilder();
    for (SimulatedDeviceMapper.Device d : all) {
      boolean held = all.stream().anyMatch(x -> x.slaves().contains(d.kernelName()));
      if (!held) {
        b.append(d.name()).append(" (").append(d.dev()).append(")\n");
        children(b, d, "", all);
      }
    }
    return b.toString();
  }

  private static void children(StringBuilder b, SimulatedDeviceMapper.Device d, String indent,
      List<SimulatedDeviceMapper.Device> all) {
    List<DevNumber> lower = d.table().map(SimulatedDeviceMapper.Table::devices).orElse(List.of()).stream().sorted().toList();
    for (int i = 0; i < lower.size(); i++) {
      boolean last = i == lower.size() - 1;
      DevNumber n = lower.get(i);
      Optional<SimulatedDeviceMapper.Device> sub = all.stream().filter(x -> x.dev().equals(n)).findFirst();
      b.append(indent).append(last ? " `-" : " |-");
      if (sub.isPresent()) {
        b.append(sub.get().name()).append(" (").append(n).append(")\n");
        children(b, sub.get(), indent + (last ? "   " : " | "), all);
      } else {
        b.append(" (").append(n).append(")\n");
      }
    }
  }

  private Reply targets(boolean table, String name) {
    List<SimulatedDeviceMapper.Device> which = name == null ? devices() : List.of(require(name));
    if (which.isEmpty()) {
      return new Reply(0, NO_DEVICES, "");
    }
    StringBuilder b = new StringBuilder();
    for (SimulatedDeviceMapper.Device d : which) {
      for (SimulatedDeviceMapper.Target t : d.table().map(SimulatedDeviceMapper.Table::targets).orElse(List.of())) {
        if (name == null) {
          b.append(d.name()).append(": ");
        }
        String params = table || !t.type().equals("multipath") ? t.params()
            : SimMap.status(SimulatedMultipathTools.tableOf(d), tools.state(d)).strip();
        b.append(t.start()).append(' ').append(t.length()).append(' ').append(t.type()).append(' ').append(params)
            .append(" \n");
      }
    }
    return new Reply(0, b.toString(), "");
  }

  private Reply info(String name, boolean columns) {
    List<SimulatedDeviceMapper.Device> which = name == null ? devices() : List.of(require(name));
    if (which.isEmpty()) {
      return new Reply(0, NO_DEVICES, "");
    }
    StringBuilder b = new StringBuilder();
    if (columns) {
      int nameWidth = Math.max(16, which.stream().mapToInt(d -> d.name().length()).max().orElse(0));
      int uuidWidth = Math.max(32, which.stream().mapToInt(d -> d.uuid().orElse("").length()).max().orElse(0));
      b.append(pad("Name", nameWidth)).append(" Maj Min Stat Open Targ Event  ").append(pad("UUID", uuidWidth)).append('\n');
      for (SimulatedDeviceMapper.Device d : which) {
        b.append(pad(d.name(), nameWidth)).append(' ')
            .append(String.format(Locale.ROOT, "%3d %3d %s %4d %4d %6d ", d.dev().major(), d.dev().minor(), stat(d),
                d.openCount(), d.table().map(t -> t.targets().size()).orElse(0), 0))
            .append(pad(d.uuid().orElse(""), uuidWidth)).append('\n');
      }
      return new Reply(0, b.toString(), "");
    }
    for (SimulatedDeviceMapper.Device d : which) {
      String tables = d.table().isPresent() && d.inactiveTable().isPresent() ? "LIVE & INACTIVE"
          : d.inactiveTable().isPresent() ? "INACTIVE" : "LIVE";
      b.append("Name:              ").append(d.name()).append('\n')
          .append("State:             ").append(d.suspended() ? "SUSPENDED" : "ACTIVE").append('\n')
          .append("Read Ahead:        256\n")
          .append("Tables present:    ").append(tables).append('\n')
          .append("Open count:        ").append(d.openCount()).append('\n')
          .append("Event number:      0\n")
          .append("Major, minor:      ").append(d.dev().major()).append(", ").append(d.dev().minor()).append('\n')
          .append("Number of targets: ").append(d.table().map(t -> t.targets().size()).orElse(0)).append('\n');
      d.uuid().ifPresent(u -> b.append("UUID: ").append(u).append('\n'));
      b.append('\n');
    }
    return new Reply(0, b.toString(), "");
  }

  private static String stat(SimulatedDeviceMapper.Device d) {
    return (d.table().isPresent() ? "L" : "-") + (d.inactiveTable().isPresent() ? "I" : "-") + (d.suspended() ? "s" : "-") + "w";
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  private Reply deps(String name, boolean byName) {
    SimulatedDeviceMapper.Device d = require(name);
    List<DevNumber> lower = d.table().map(SimulatedDeviceMapper.Table::devices).orElse(List.of()).stream()
        .sorted(Comparator.naturalOrder()).toList();
    StringBuilder b = new StringBuilder().append(lower.size()).append(lower.size() == 1 ? " dependency" : " dependencies")
        .append("\t:");
    for (DevNumber n : lower) {
      b.append(" (");
      if (byName) {
        b.append(kernelName(n).map(BlockDeviceName::value).orElse(n.major() + ":" + n.minor()));
      } else {
        b.append(n.major()).append(", ").append(n.minor());
      }
      b.append(')');
    }
    return new Reply(0, b.append('\n').toString(), "");
  }

  private Optional<BlockDeviceName> kernelName(DevNumber n) {
    Optional<BlockDeviceName> dm = devices().stream().filter(x -> x.dev().equals(n)).map(SimulatedDeviceMapper.Device::kernelName)
        .findFirst();
    return dm.or(() -> tools.kernel().scsi().disk(n).map(x -> x.name()));
  }
}
