package dev.midplane.xen.sim;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.names.MacAddress;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.HostInfo;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.ToolstackOutputs;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import dev.midplane.xen.sxp.RelocationAllowList;
import dev.midplane.xen.sxp.XendConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The command line of the simulated {@code xl} and {@code xm}: argv in, the real output and exit
 * code out. It parses what the toolstacks take, runs it on the {@link SimulatedXen} engine and
 * says the engine's refusals in each toolstack's words. Errors go to stderr, as both print them.
 */
final class ToolstackCli {
  static final String STREAM_MAGIC = "MIDPLANE-SIM-XL-STREAM v1";
  static final String SAVE_MAGIC = "MIDPLANE-SIM-XL-SAVE v1";

  /** How far a migration stream goes, chosen by the sender (see {@link SimulatedXen.MigrationFault}). */
  enum StreamMode {
    /** The sender could not suspend: the stream ends after the banner. */
    ABORT_BEFORE_SAVE,
    /** The stream breaks during the memory copy. */
    BROKEN,
    /** Everything arrives; starting the domain fails at the target. */
    STARTUP_FAILS,
    /** Everything arrives and the domain starts; the sender never hears it. */
    HANDSHAKE_LOST,
    /** A whole migration. */
    FULL
  }

  private final SimulatedXen xen;
  private final boolean xl;
  private final String program;

  ToolstackCli(SimulatedXen xen) {
    this.xen = xen;
    this.xl = xen.kind() == Toolstack.Kind.XL;
    this.program = xen.kind().program();
  }

  /** Output being built: stdout, stderr, exit code. */
  private static final class Out {
    final StringBuilder out = new StringBuilder();
    final StringBuilder err = new StringBuilder();
    int exit;

    Out out(String line) {
      out.append(line).append('\n');
      return this;
    }

    Out err(String line) {
      err.append(line).append('\n');
      return this;
    }

    Out exit(int code) {
      exit = code;
      return this;
    }

    Reply reply() {
      return new Reply(exit, out.toString(), err.toString());
    }
  }

  Reply handle(SimulatedRunner.Invocation inv) throws InterruptedException {
    List<String> a = inv.args();
    Out o = new Out();
    if (a.isEmpty()) {
      return o.err(xl ? "Usage xl [-vfNtT] <subcommand> [args]" : "Usage: xm <subcommand> [args]").exit(1).reply();
    }
    String sub = a.get(0);
    List<String> rest = a.subList(1, a.size());
    try {
      switch (sub) {
        case "list" -> list(rest, o);
        case "info" -> info(o);
        case "create" -> create(rest, o);
        case "shutdown" -> shutdown(rest, o);
        case "reboot" -> o.exit(each(rest, "reboot", d -> xen.reboot(d), o));
        case "destroy" -> o.exit(each(rest, "destroy", xen::destroy, o));
        case "pause" -> o.exit(each(rest, "pause", d -> setPaused(d, true), o));
        case "unpause" -> o.exit(each(rest, "unpause", d -> setPaused(d, false), o));
        case "block-attach" -> blockAttach(rest, o);
        case "block-detach" -> blockDetach(rest, o);
        case "block-list" -> blockList(rest, o);
        case "network-attach" -> networkAttach(rest, o);
        case "network-detach" -> networkDetach(rest, o);
        case "network-list" -> networkList(rest, o);
        case "save" -> save(rest, o);
        case "restore" -> restore(rest, o);
        case "migrate" -> {
          if (xl) {
            new XlMigration(xen, this).send(rest, o.out, o.err, code -> o.exit = code);
          } else {
            xmMigrate(rest, o);
          }
        }
        case "migrate-receive" -> {
          if (!xl) {
            return o.err("Error: Subcommand migrate-receive not found!").exit(1).reply();
          }
          new XlMigration(xen, this).receive(rest, inv.stdin().orElse(""), o.err, code -> o.exit = code);
        }
        default -> {
          return xl ? o.err("command \"" + sub + "\" not implemented").exit(1).reply()
              : o.err("Error: Subcommand " + sub + " not found!").exit(1).reply();
        }
      }
    } catch (Refusal r) {
      say(r, o);
    }
    return o.reply();
  }

  // ------------------------------------------------------------------ refusals in each toolstack's words

  /** Writes the refusal as the toolstack prints it and sets the exit code. */
  void say(Refusal r, Out o) {
    if (xl) {
      xlSay(r, o);
    } else {
      xmSay(r, o);
    }
  }

  void say(Refusal r, StringBuilder err, java.util.function.IntConsumer exit) {
    Out o = new Out();
    say(r, o);
    err.append(o.err);
    exit.accept(o.exit);
  }

  private void xlSay(Refusal r, Out o) {
    switch (r.reason) {
      case NO_SUCH_DOMAIN -> o.err(r.arg(0) + " is an invalid domain identifier (rc=-6)").exit(1);
      case NAME_EXISTS -> o.err("libxl: error: Domain with name \"" + r.arg(0) + "\" already exists.")
          .err("libxl: error: Domain " + r.arg(1) + ":cannot make domain: -6").exit(3);
      case NO_MEMORY -> o.err("xc: error: panic: xc_dom_boot_mem_init: can't allocate low memory for domain: Out of memory")
          .err("libxl: error: xc_dom_boot_mem_init failed: Cannot allocate memory")
          .err("libxl: error: Domain " + r.arg(0) + ":cannot (re-)build domain: -3").exit(3);
      case DISK_MISSING -> o.err("libxl: error: Disk vdev=" + r.arg(1) + " failed to stat: " + r.arg(2) + ": " + r.arg(3))
          .exit(3);
      case DISK_IN_USE -> o.err("libxl: error: /etc/xen/scripts/block add [" + xen.pid() + "] exited with error status 1")
          .err("libxl: error: script: Device " + r.arg(2) + " is mounted " + (r.arg(3).equals("w") ? "" : "read-write ")
              + "in a guest domain,")
          .err("and so cannot be mounted " + (r.arg(3).equals("w") ? "" : "read-only ") + "now.")
          .err("libxl: error: libxl_create.c:1672:domcreate_launch_dm: Domain " + r.arg(0) + ":unable to add disk devices")
          .exit(3);
      case NO_BRIDGE -> o.err("libxl: error: /etc/xen/scripts/vif-bridge online [" + xen.pid() + "] exited with error status 1")
          .err("libxl: error: script: " + (r.arg(2).isEmpty() ? "Could not find bridge, and none was specified"
              : "Could not find bridge device " + r.arg(2)))
          .err("libxl: error: Domain " + r.arg(0) + ":unable to add vif devices").exit(3);
      case VIFNAME_TAKEN -> o.err("libxl: error: /etc/xen/scripts/vif-bridge online [" + xen.pid()
              + "] exited with error status 1")
          .err("libxl: error: script: Cannot rename interface " + r.arg(2) + ". An interface with name " + r.arg(3)
              + " already exists.")
          .err("libxl: error: Domain " + r.arg(0) + ":unable to add vif devices").exit(3);
      case BAD_CONFIG -> o.err(r.arg(0)).err("Failed to parse config: Invalid argument").exit(3);
      case VDEV_TAKEN -> o.err("libxl: error: device already exists in xenstore").err("libxl_device_disk_add failed.").exit(1);
      case NO_SUCH_DEVICE -> o.err("Error: Device " + r.arg(1) + " not connected.").exit(1);
      case DOMAIN0 -> o.err("xl: cannot " + r.arg(0) + " Domain-0").exit(1);
      case BAD_FILE -> o.err("Failed to read config file: " + r.arg(0) + ": " + r.arg(1)).exit(3);
      default -> throw new IllegalStateException(r.reason.toString());
    }
  }

  private void xmSay(Refusal r, Out o) {
    String line = switch (r.reason) {
      case NO_SUCH_DOMAIN -> "Error: Domain '" + r.arg(0) + "' does not exist.";
      case NAME_EXISTS -> "Error: Domain '" + r.arg(0) + "' already exists with ID '" + r.arg(1) + "'";
      case NO_MEMORY -> "Error: Not enough free memory and enable-dom0-ballooning is False, so I cannot release any more.  "
          + "I need " + Long.parseLong(r.arg(1)) * 1024 + " KiB but only have " + Long.parseLong(r.arg(2)) * 1024 + ".";
      case DISK_MISSING -> "Error: Disk isn't accessible";
      case DISK_IN_USE -> "Error: Device " + Vdevs.number(r.arg(1)).orElse(0) + " (vbd) could not be connected.\nDevice "
          + r.arg(2) + " is mounted in a guest domain,\nand so cannot be mounted now.";
      case NO_BRIDGE -> "Error: Device " + r.arg(1) + " (vif) could not be connected. "
          + (r.arg(2).isEmpty() ? "Could not find bridge, and none was specified" : "Could not find bridge device " + r.arg(2));
      case VIFNAME_TAKEN -> "Error: Device " + r.arg(1) + " (vif) could not be connected. Cannot rename interface " + r.arg(2)
          + ". An interface with name " + r.arg(3) + " already exists.";
      case BAD_CONFIG -> "Error: " + r.arg(0);
      case VDEV_TAKEN -> "Error: Device " + Vdevs.number(r.arg(1)).orElse(0) + " (vbd) is already connected.";
      case NO_SUCH_DEVICE -> "Error: Device " + r.arg(1) + " not connected";
      case DOMAIN0 -> "Error: Cannot " + r.arg(0) + " privileged domain 0";
      case BAD_FILE -> "Error: " + r.arg(1) + ": '" + r.arg(0) + "'";
    };
    o.err(line).exit(1);
  }

  // ------------------------------------------------------------------ queries

  private void list(List<String> args, Out o) {
    boolean longForm = false;
    List<String> names = new ArrayList<>();
    for (String s : args) {
      if (s.equals("-l") || s.equals("--long")) {
        longForm = true;
      } else if (s.startsWith("-")) {
        o.err(xl ? "option `" + s + "' not supported." : "Error: option " + s + " not recognized").exit(1);
        return;
      } else {
        names.add(s);
      }
    }
    List<DomainInfo> rows = new ArrayList<>();
    List<DomainDetails> details = new ArrayList<>();
    if (names.isEmpty()) {
      rows.addAll(xen.domains());
      details.add(xen.domain0Details());
      details.addAll(xen.details());
    } else {
      for (String n : names) {
        if (SimulatedXen.isDomain0(n)) {
          rows.add(xen.domain0Info());
          details.add(xen.domain0Details());
        } else {
          SimDomain d = xen.find(n);
          rows.add(d.info());
          details.add(d.details());
        }
      }
    }
    if (longForm) {
      o.out.append(xl ? ToolstackOutputs.renderListLong(details) : XmOutputs.renderListLong(details, rows));
    } else {
      o.out.append(xl ? ToolstackOutputs.renderList(rows) : XmOutputs.renderList(rows));
    }
  }

  private void info(Out o) {
    HostInfo i = xen.info();
    StringBuilder b = new StringBuilder(ToolstackOutputs.renderInfo(i));
    o.out.append(xl ? b : XmOutputs.xmInfo(i));
  }

  // ------------------------------------------------------------------ lifecycle

  private void create(List<String> args, Out o) {
    boolean paused = false;
    String file = null;
    for (String s : args) {
      if (s.equals("-p")) {
        paused = true;
      } else if (s.equals("-q") || s.equals("--quiet")) {
        continue;
      } else if (file == null && !s.startsWith("-")) {
        file = s;
      } else {
        o.err(xl ? "option `" + s + "' not supported." : "Error: option " + s + " not recognized").exit(1);
        return;
      }
    }
    if (file == null) {
      o.err(xl ? "Usage: xl [-vfNtT] create <ConfigFile> [options] [vars]" : "Error: No config file given").exit(xl ? 2 : 1);
      return;
    }
    if (xl) {
      o.err("Parsing config from " + file);
    } else {
      o.out("Using config file \"" + file + "\".");
    }
    DomainConfig config = readConfig(file, o);
    if (config == null) {
      return;
    }
    SimDomain d = xen.create(config, paused);
    if (!xl) {
      o.out("Started domain " + d.name + " (id=" + d.id + ")");
    }
  }

  private DomainConfig readConfig(String file, Out o) {
    String text;
    try {
      text = Files.readString(hostPath(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new Refusal(Refusal.Reason.BAD_FILE, file, "No such file or directory");
    } catch (IOException | IllegalArgumentException e) {
      throw new Refusal(Refusal.Reason.BAD_FILE, file, "Input/output error");
    }
    try {
      DomainConfig c = DomainConfig.parse(text, xl ? Dialect.XL : Dialect.XM, file);
      c.name();
      return c;
    } catch (RuntimeException e) {
      throw new Refusal(Refusal.Reason.BAD_CONFIG, e.getMessage().lines().findFirst().orElse("bad config"));
    }
  }

  Path hostPath(String file) {
    return xen.kernel().host().path(file);
  }

  private void shutdown(List<String> args, Out o) throws InterruptedException {
    boolean wait = false;
    List<String> doms = new ArrayList<>();
    for (String s : args) {
      if (s.equals("-w") || s.equals("--wait")) {
        wait = true;
      } else {
        doms.add(s);
      }
    }
    if (doms.size() != 1) {
      o.err(xl ? "Usage: xl [-vfNtT] shutdown [options] <-a|Domain>" : "Error: shutdown takes one domain").exit(xl ? 2 : 1);
      return;
    }
    String dom = doms.get(0);
    if (SimulatedXen.isDomain0(dom)) {
      throw new Refusal(Refusal.Reason.DOMAIN0, "shut down");
    }
    SimDomain d = xen.find(dom);
    if (xl) {
      o.err("Shutting down domain " + d.id);
    }
    if (xen.ignoresShutdown(d)) {
      if (wait) {
        if (xl) {
          o.err("Waiting for 1 domains");
        }
        while (true) {
          Thread.sleep(50); // a guest that never shuts down: only the caller's timeout ends this
        }
      }
      return;
    }
    xen.destroy(d);
    if (wait) {
      if (xl) {
        o.err("Waiting for 1 domains").err("Domain " + d.id + " has been shut down, reason code 0");
      } else {
        o.out("Domain " + d.name + " terminated").out("All domains terminated");
      }
    }
  }

  private interface Action {
    void on(SimDomain d);
  }

  private int each(List<String> args, String verb, Action action, Out o) {
    if (args.size() != 1) {
      o.err(xl ? "Usage: xl [-vfNtT] " + verb + " <Domain>" : "Error: " + verb + " takes one domain");
      return xl ? 2 : 1;
    }
    if (SimulatedXen.isDomain0(args.get(0))) {
      throw new Refusal(Refusal.Reason.DOMAIN0, verb);
    }
    action.on(xen.find(args.get(0)));
    return 0;
  }

  private void setPaused(SimDomain d, boolean paused) {
    synchronized (xen) {
      d.paused = paused;
    }
  }

  // ------------------------------------------------------------------ devices

  private SimDomain domainArg(List<String> args, int min, String usage, Out o) {
    if (args.size() < min) {
      o.err(xl ? "Usage: xl [-vfNtT] " + usage : "Error: usage: " + usage).exit(xl ? 2 : 1);
      return null;
    }
    if (SimulatedXen.isDomain0(args.get(0))) {
      throw new Refusal(Refusal.Reason.DOMAIN0, "change devices of");
    }
    return xen.find(args.get(0));
  }

  private void blockAttach(List<String> args, Out o) {
    SimDomain d = domainArg(args, 2, "block-attach <Domain> <disk-spec-component(s)>...", o);
    if (d == null) {
      return;
    }
    DiskSpec spec;
    try {
      if (xl) {
        spec = DiskSpec.parse(String.join(",", args.subList(1, args.size())));
      } else {
        if (args.size() < 4) {
          o.err("Error: usage: block-attach <Domain> <BackDev> <FrontDev> <Mode> [BackDomain]").exit(1);
          return;
        }
        spec = DiskSpec.parse(args.get(1) + "," + args.get(2) + "," + args.get(3));
      }
    } catch (IllegalArgumentException e) {
      o.err(xl ? "xlu_disk_parse failed: Invalid argument" : "Error: " + e.getMessage()).exit(1);
      return;
    }
    synchronized (xen) {
      try {
        xen.plugDisk(d, spec);
      } catch (Refusal r) {
        if (xl && r.reason != Refusal.Reason.VDEV_TAKEN) {
          say(r, o);
          o.err("libxl_device_disk_add failed.").exit(1);
          return;
        }
        throw r;
      }
    }
  }

  private void blockDetach(List<String> args, Out o) {
    SimDomain d = domainArg(args, 2, "block-detach <Domain> <DevId>", o);
    if (d == null) {
      return;
    }
    String vdev = args.get(1);
    var number = Vdevs.number(vdev);
    synchronized (xen) {
      SimDomain.Disk disk = d.disks.stream().filter(k -> number.isPresent() && k.vdev() == number.getAsInt()).findFirst()
          .orElseThrow(() -> new Refusal(Refusal.Reason.NO_SUCH_DEVICE, d.id, vdev));
      xen.unplugDisk(d, disk);
    }
  }

  private void blockList(List<String> args, Out o) {
    if (args.isEmpty()) {
      o.err(xl ? "Usage: xl [-vfNtT] block-list <Domain(s)>" : "Error: usage: block-list <Domain>").exit(xl ? 2 : 1);
      return;
    }
    for (String dom : args) {
      SimDomain d = xen.find(dom);
      synchronized (xen) {
        o.out.append(xl ? ToolstackOutputs.renderBlockList(d.blockDevices()) : XmOutputs.renderBlockList(d.blockDevices()));
      }
    }
  }

  private void networkAttach(List<String> args, Out o) {
    SimDomain d = domainArg(args, 1, "network-attach <Domain> [type=<type>] [mac=<mac>] [bridge=<bridge>] ...", o);
    if (d == null) {
      return;
    }
    VifSpec spec;
    try {
      spec = VifSpec.parse(String.join(",", args.subList(1, args.size())));
    } catch (IllegalArgumentException e) {
      o.err(xl ? "Invalid parameter `" + e.getMessage() + "'." : "Error: " + e.getMessage()).exit(1);
      return;
    }
    synchronized (xen) {
      int devid = d.nics.stream().mapToInt(SimDomain.Nic::devid).max().orElse(-1) + 1;
      try {
        xen.plugNic(d, devid, spec);
      } catch (Refusal r) {
        say(r, o);
        if (xl) {
          o.err("libxl_device_nic_add failed.").exit(1);
        }
      }
    }
  }

  private void networkDetach(List<String> args, Out o) {
    SimDomain d = domainArg(args, 2, "network-detach <Domain> <DevId|mac>", o);
    if (d == null) {
      return;
    }
    String which = args.get(1);
    synchronized (xen) {
      SimDomain.Nic nic = d.nics.stream().filter(n -> which.matches("[0-9]+") ? n.devid() == Integer.parseInt(which)
              : MacAddress.isValid(which) && n.mac().equals(MacAddress.of(which))).findFirst()
          .orElseThrow(() -> new Refusal(Refusal.Reason.NO_SUCH_DEVICE, d.id, which));
      xen.unplugNic(d, nic);
    }
  }

  private void networkList(List<String> args, Out o) {
    if (args.isEmpty()) {
      o.err(xl ? "Usage: xl [-vfNtT] network-list <Domain(s)>" : "Error: usage: network-list <Domain>").exit(xl ? 2 : 1);
      return;
    }
    for (String dom : args) {
      SimDomain d = xen.find(dom);
      synchronized (xen) {
        o.out.append(xl ? ToolstackOutputs.renderNetworkList(d.networkDevices()) : XmOutputs.renderNetworkList(d.networkDevices()));
      }
    }
  }

  // ------------------------------------------------------------------ save and restore

  private void save(List<String> args, Out o) {
    boolean keep = false;
    List<String> pos = new ArrayList<>();
    for (String s : args) {
      if (s.equals("-c")) {
        keep = true;
      } else {
        pos.add(s);
      }
    }
    if (pos.size() != 2) {
      o.err(xl ? "Usage: xl [-vfNtT] save [options] <Domain> <CheckpointFile> [<ConfigFile>]"
          : "Error: usage: save <Domain> <CheckpointFile>").exit(xl ? 2 : 1);
      return;
    }
    if (SimulatedXen.isDomain0(pos.get(0))) {
      throw new Refusal(Refusal.Reason.DOMAIN0, "save");
    }
    SimDomain d = xen.find(pos.get(0));
    String json = ToolstackOutputs.renderListLong(List.of(d.details()));
    try {
      Path p = hostPath(pos.get(1));
      Files.createDirectories(p.getParent());
      Files.writeString(p, SAVE_MAGIC + "\n" + json, StandardCharsets.UTF_8);
    } catch (IOException | IllegalArgumentException e) {
      o.err("Failed to open temp file " + pos.get(1) + " for writing: No such file or directory").exit(1);
      return;
    }
    if (xl) {
      o.err("Saving to " + pos.get(1) + " new xl format (info 0x3/0x0/" + json.length() + ")")
          .err("xc: info: Saving domain " + d.id + ", type x86 " + (d.type.equals("pv") ? "PV" : "HVM"))
          .err("xc: progress: End of stream: 0/0    0%");
    }
    if (!keep) {
      xen.destroy(d);
    }
  }

  private void restore(List<String> args, Out o) {
    boolean paused = false;
    String file = null;
    for (String s : args) {
      if (s.equals("-p")) {
        paused = true;
      } else {
        file = s;
      }
    }
    if (file == null) {
      o.err(xl ? "Usage: xl [-vfNtT] restore [options] [<ConfigFile>] <CheckpointFile>"
          : "Error: usage: restore <CheckpointFile>").exit(xl ? 2 : 1);
      return;
    }
    String text;
    try {
      text = Files.readString(hostPath(file), StandardCharsets.UTF_8);
    } catch (IOException | IllegalArgumentException e) {
      o.err("cannot open " + file + ": No such file or directory").exit(1);
      return;
    }
    if (!text.startsWith(SAVE_MAGIC + "\n")) {
      o.err("File has wrong magic number - corrupt or for a different tool?").exit(1);
      return;
    }
    String json = text.substring(SAVE_MAGIC.length() + 1);
    DomainDetails saved = ToolstackOutputs.parseListLongJson(json, file).get(0);
    if (xl) {
      o.err("Loading new save file " + file + " (new xl fmt info 0x3/0x0/" + json.length() + ")")
          .err(" Savefile contains xl domain config in JSON format")
          .err("Parsing config from <saved>");
    }
    SimDomain d = xen.create(saved.toConfig(Dialect.XL), paused);
    if (xl) {
      o.err("xc: info: Found x86 " + (d.type.equals("pv") ? "PV" : "HVM") + " domain from Xen 4.17")
          .err("xc: info: Restoring domain")
          .err("xc: info: Restore successful")
          .err("xc: info: XenStore: mfn 0xfeffc, dom 0, evt 1")
          .err("xc: info: Console: mfn 0xfefff, dom 0, evt 2");
    }
  }

  // ------------------------------------------------------------------ xm migration (to xend's relocation server)

  private void xmMigrate(List<String> args, Out o) {
    List<String> pos = new ArrayList<>();
    int port = XendConfig.DEFAULT_RELOCATION_PORT;
    for (int i = 0; i < args.size(); i++) {
      String s = args.get(i);
      if (s.equals("-l") || s.equals("--live")) {
        continue;
      } else if (s.equals("-p") || s.equals("--port")) {
        port = Integer.parseInt(args.get(++i));
      } else {
        pos.add(s);
      }
    }
    if (pos.size() != 2) {
      o.err("Error: 'xm migrate' requires between 2 and 3 arguments.").exit(1);
      return;
    }
    if (SimulatedXen.isDomain0(pos.get(0))) {
      throw new Refusal(Refusal.Reason.DOMAIN0, "migrate");
    }
    SimDomain d = xen.find(pos.get(0));
    Optional<SimulatedXen> peer = xen.network().flatMap(n -> n.reach(xen.host(), pos.get(1)));
    if (peer.isEmpty()) {
      o.err("Error: can't connect: Connection refused").exit(1);
      return;
    }
    SimulatedXen target = peer.get();
    XendConfig relocation;
    try {
      Path sxp = target.kernel().host().path("/etc/xen/xend-config.sxp");
      relocation = Files.exists(sxp) ? XendConfig.read(sxp) : XendConfig.parse("", "xend-config.sxp");
    } catch (RuntimeException e) {
      o.err("Error: can't connect: Connection refused").exit(1);
      return;
    }
    if (!relocation.relocationServer() || relocation.relocationPort() != port) {
      o.err("Error: can't connect: Connection refused").exit(1);
      return;
    }
    RelocationAllowList allow = relocation.relocationHostsAllow();
    if (!allow.isEmpty() && !allow.permits(xen.host().value())) {
      o.err("Error: (104, 'Connection reset by peer')").exit(1);
      return;
    }
    DomainDetails details = d.details();
    try {
      target.create(details.toConfig(Dialect.XL), false);
    } catch (Refusal r) {
      Out remote = new Out();
      new ToolstackCli(target).say(r, remote);
      o.err("Error: " + remote.err.toString().strip().replaceFirst("^Error: ", "")).exit(1);
      return;
    }
    xen.destroy(d);
  }

  /** Runs {@code command} through this host's own runner, as xl's child processes run. */
  CommandResult runOnThisHost(Command command) {
    try {
      return xen.runner().run(command);
    } catch (CommandFailedException e) {
      return CommandResult.builder().command(command).exitCode(127)
          .stderr("sh: 1: exec: " + command.programName() + ": " + e.getMessage().lines().findFirst().orElse("failed") + "\n")
          .duration(java.time.Duration.ZERO).build();
    }
  }

  static String typeWord(String guestType) {
    return guestType.toLowerCase(Locale.ROOT).equals("pv") ? "PV" : "HVM";
  }
}
