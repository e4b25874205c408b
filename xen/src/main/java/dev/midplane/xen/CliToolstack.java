package dev.midplane.xen;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.Host;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.files.AtomicFiles;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import dev.midplane.xen.text.ParseFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * {@link Toolstack} over the {@code xl} or {@code xm} command line. The two share everything but
 * the argv of {@code block-attach}, {@code network-detach} by MAC, {@code list -l}, {@code create}
 * from text and {@code migrate}.
 */
final class CliToolstack implements Toolstack {
  /**
   * Where {@code create(DomainConfig)} puts the config for the toolstack to read: neither {@code xl
   * create} nor {@code xm create} reads one from stdin (and {@code /dev/stdin} is missing on some
   * dom0s).
   */
  static final String CONFIG_DIR = "/run/midplane/xen";
  private static final Pattern VDEV = Pattern.compile("[A-Za-z0-9]+");

  private final Host host;
  private final Kind kind;

  CliToolstack(Host host, Kind kind) {
    this.host = Objects.requireNonNull(host, "host");
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  static Toolstack detect(Host host) {
    List<String> problems = new ArrayList<>();
    for (Kind k : Kind.values()) {
      try {
        CommandResult r = host.run(Command.builder(k.program(), "info").timeout(QUERY_TIMEOUT).build());
        if (r.isSuccess()) {
          ToolstackOutputs.parseInfo(r.stdout(), "`" + k.program() + " info` output");
          return new CliToolstack(host, k);
        }
        String err = r.stderr().strip();
        problems.add(k.program() + " info exited with " + r.exitCode() + (err.isEmpty() ? "" : ": " + err));
      } catch (CommandFailedException | ParseFailedException e) {
        problems.add(e.getMessage());
      }
    }
    throw new NotFoundException("Xen toolstack", host.name().value(), String.join("; ", problems));
  }

  @Override
  public Kind kind() {
    return kind;
  }

  @Override
  public HostName host() {
    return host.name();
  }

  /** The host's runner, through which migration output streams. */
  Host hostHandle() {
    return host;
  }

  String hostName() {
    return host.name().value();
  }

  Command command(Duration timeout, List<String> args) {
    return Command.builder(kind.program()).args(args).timeout(timeout).build();
  }

  private CommandResult run(Duration timeout, String operation, DomainName domain, String... args) {
    return run(command(timeout, List.of(args)), operation, domain);
  }

  private CommandResult run(Command c, String operation, DomainName domain) {
    CommandResult r = host.run(c);
    if (!r.isSuccess()) {
      throw ToolstackErrors.failure(hostName(), r, operation, domain);
    }
    return r;
  }

  private static String stdout(CommandResult r, String source) {
    if (r.stdoutTruncated()) {
      throw new ParseFailedException(source, 0, 0, "", "the output was cut at the runner's size bound");
    }
    return r.stdout();
  }

  private String source(CommandResult r) {
    return "`" + r.command() + "` output on " + hostName();
  }

  // ------------------------------------------------------------------ queries

  @Override
  public List<DomainInfo> list() {
    CommandResult r = run(QUERY_TIMEOUT, "list domains", null, "list");
    List<DomainInfo> all = ToolstackOutputs.parseList(stdout(r, source(r)), source(r));
    if (all.stream().noneMatch(DomainInfo::isDomain0)) {
      throw new ParseFailedException(source(r), 0, 0, "", "no Domain-0 row, which every host lists (truncated output?)");
    }
    return all;
  }

  @Override
  public Optional<DomainInfo> find(DomainName name) {
    try {
      return Optional.of(status(name));
    } catch (DomainNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public DomainInfo status(DomainName name) {
    CommandResult r = run(QUERY_TIMEOUT, "show domain " + name, name, "list", name.value());
    List<DomainInfo> rows = ToolstackOutputs.parseList(stdout(r, source(r)), source(r));
    if (rows.size() != 1 || !rows.get(0).rawName().equals(name.value())) {
      throw new ParseFailedException(source(r), 0, 0, "", "expected one row for " + name + ", found " + rows.size());
    }
    return rows.get(0);
  }

  @Override
  public List<DomainDetails> details() {
    CommandResult r = run(QUERY_TIMEOUT, "list domain details", null, listLong());
    return ToolstackOutputs.parseListLong(stdout(r, source(r)), source(r));
  }

  @Override
  public DomainDetails details(DomainName name) {
    String[] argv = {listLong()[0], listLong()[1], name.value()};
    CommandResult r = run(QUERY_TIMEOUT, "show details of domain " + name, name, argv);
    List<DomainDetails> all = ToolstackOutputs.parseListLong(stdout(r, source(r)), source(r));
    if (all.size() != 1 || !all.get(0).rawName().equals(name.value())) {
      throw new ParseFailedException(source(r), 0, 0, "", "expected the details of " + name + ", found " + all.size() + " domains");
    }
    return all.get(0);
  }

  private String[] listLong() {
    return kind == Kind.XL ? new String[] {"list", "-l"} : new String[] {"list", "--long"};
  }

  @Override
  public HostInfo info() {
    CommandResult r = run(QUERY_TIMEOUT, "show host information", null, "info");
    return ToolstackOutputs.parseInfo(stdout(r, source(r)), source(r));
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public void create(DomainConfig config) {
    DomainName name = config.name();
    create(config, name, false);
  }

  private void create(DomainConfig config, DomainName name, boolean paused) {
    String file = CONFIG_DIR + "/" + name.value() + ".cfg";
    Path local = host.path(file);
    try {
      Files.createDirectories(local.getParent());
    } catch (IOException e) {
      throw new dev.midplane.core.MidplaneException("cannot create " + CONFIG_DIR + " on " + hostName() + ": " + e.getMessage(), e);
    }
    AtomicFiles.write(local, config.toDialect(kind == Kind.XL ? Dialect.XL : Dialect.XM).render(), AtomicFiles.NO_BACKUP);
    try {
      if (paused) {
        run(CHANGE_TIMEOUT, "create domain " + name + " paused", null, "create", "-p", file);
      } else {
        run(CHANGE_TIMEOUT, "create domain " + name, null, "create", file);
      }
    } finally {
      try {
        Files.deleteIfExists(local);
      } catch (IOException e) {
        // a stale copy is harmless: it is rewritten by the next create of this domain
      }
    }
  }

  @Override
  public void createPaused(DomainConfig config) {
    create(config, config.name(), true);
  }

  @Override
  public void create(String configPathOnHost) {
    String path = absolute(configPathOnHost);
    run(CHANGE_TIMEOUT, "create domain from " + path, null, "create", path);
  }

  /** Stopping, pausing, saving or moving the control domain takes the host down with it. */
  static void notDomain0(DomainName name, String operation) {
    if (name.isDomain0()) {
      throw new dev.midplane.core.UnsafeOperationException(operation + " " + name,
          "Domain-0 is the control domain: the host and every guest on it depend on it");
    }
  }

  @Override
  public void shutdown(DomainName name, Duration wait) {
    Objects.requireNonNull(wait, "wait");
    notDomain0(name, "shut down");
    Command c = command(wait, List.of("shutdown", "-w", name.value()));
    try {
      run(c, "shut down domain " + name, name);
    } catch (CommandTimeoutException e) {
      throw new ToolstackException(hostName(), c.argv(), OptionalInt.empty(), e.stderrTail(), "shut down domain " + name,
          List.of(), "the domain did not shut down within " + wait + "; it may still be shutting down, and destroy() stops "
              + "it at once", e);
    }
  }

  @Override
  public void requestShutdown(DomainName name) {
    act(name, "shutdown", "shut down");
  }

  @Override
  public void reboot(DomainName name) {
    act(name, "reboot", "reboot");
  }

  @Override
  public void destroy(DomainName name) {
    act(name, "destroy", "destroy");
  }

  @Override
  public void pause(DomainName name) {
    act(name, "pause", "pause");
  }

  @Override
  public void unpause(DomainName name) {
    run(CHANGE_TIMEOUT, "unpause domain " + name, name, "unpause", name.value());
  }

  /** {@code <program> <subcommand> <name>}, refused for Domain-0. */
  private void act(DomainName name, String subcommand, String verb) {
    notDomain0(name, verb);
    run(CHANGE_TIMEOUT, verb + " domain " + name, name, subcommand, name.value());
  }

  // ------------------------------------------------------------------ devices

  @Override
  public void blockAttach(DomainName name, DiskSpec disk) {
    List<String> args = new ArrayList<>(List.of("block-attach", name.value()));
    if (kind == Kind.XL) {
      args.add(disk.toString());
    } else {
      args.addAll(xmBlockAttachArguments(disk));
    }
    run(command(CHANGE_TIMEOUT, args), "attach disk " + disk.vdev() + " to domain " + name, name);
  }

  /** {@code <backdev> <frontdev> <mode> [<backend domain>]} for {@code xm block-attach}. */
  static List<String> xmBlockAttachArguments(DiskSpec disk) {
    String target = disk.target().orElseThrow(() -> new IllegalArgumentException("xm block-attach needs a target"));
    String back;
    if (disk.prefix().isPresent()) {
      back = disk.prefixedTarget().get();
    } else if (target.startsWith("/dev/") && disk.format().filter(f -> !f.equals("raw")).isEmpty()) {
      back = "phy:" + target;
    } else {
      throw new IllegalArgumentException("xm block-attach needs a prefixed target (phy:, file:, tap:aio:): " + disk);
    }
    if (!disk.extras().isEmpty() || disk.script().isPresent() || disk.backendType().isPresent()
        || disk.format().filter(f -> !f.equals("raw")).isPresent()) {
      throw new IllegalArgumentException("xm block-attach cannot carry " + disk.extras() + " or script, backendtype and format: " + disk);
    }
    List<String> out = new ArrayList<>();
    out.add(back);
    out.add(disk.vdev() + (disk.isCdrom() ? ":cdrom" : ""));
    out.add(disk.access().orElse(DiskSpec.Access.READ_WRITE).positional());
    disk.backend().ifPresent(out::add);
    return out;
  }

  @Override
  public void blockDetach(DomainName name, String vdev) {
    if (vdev == null || !VDEV.matcher(vdev).matches()) {
      throw new IllegalArgumentException("a vdev is a device name or number such as xvdb or 51728: " + vdev);
    }
    run(CHANGE_TIMEOUT, "detach disk " + vdev + " from domain " + name, name, "block-detach", name.value(), vdev);
  }

  @Override
  public List<BlockDevice> blockList(DomainName name) {
    CommandResult r = run(QUERY_TIMEOUT, "list disks of domain " + name, name, "block-list", name.value());
    return ToolstackOutputs.parseBlockList(stdout(r, source(r)), source(r));
  }

  @Override
  public void networkAttach(DomainName name, VifSpec vif) {
    List<String> args = new ArrayList<>(List.of("network-attach", name.value()));
    args.addAll(vif.toArguments());
    run(command(CHANGE_TIMEOUT, args), "attach interface " + vif + " to domain " + name, name);
  }

  @Override
  public void networkDetach(DomainName name, MacAddress mac) {
    if (kind == Kind.XL) {
      run(CHANGE_TIMEOUT, "detach interface " + mac + " from domain " + name, name, "network-detach", name.value(), mac.toString());
      return;
    }
    NetworkDevice nic = networkList(name).stream().filter(n -> n.mac().equals(mac)).findFirst()
        .orElseThrow(() -> new NotFoundException("network interface", mac.toString(), "domain " + name + " on " + hostName()
            + " has no interface with this MAC"));
    networkDetach(name, nic.index());
  }

  @Override
  public void networkDetach(DomainName name, int devid) {
    if (devid < 0) {
      throw new IllegalArgumentException("a device id is >= 0: " + devid);
    }
    run(CHANGE_TIMEOUT, "detach interface " + devid + " from domain " + name, name, "network-detach", name.value(),
        Integer.toString(devid));
  }

  @Override
  public List<NetworkDevice> networkList(DomainName name) {
    CommandResult r = run(QUERY_TIMEOUT, "list interfaces of domain " + name, name, "network-list", name.value());
    return ToolstackOutputs.parseNetworkList(stdout(r, source(r)), source(r));
  }

  // ------------------------------------------------------------------ migration, save, restore

  @Override
  public MigrateCommand migrate(DomainName name, HostName target) {
    notDomain0(name, "migrate");
    return new MigrateCommand(this, Objects.requireNonNull(name, "name"), Objects.requireNonNull(target, "target"));
  }

  @Override
  public void save(DomainName name, String fileOnHost, boolean leaveRunning) {
    notDomain0(name, "save");
    String file = absolute(fileOnHost);
    List<String> args = new ArrayList<>(List.of("save"));
    if (leaveRunning) {
      args.add("-c");
    }
    args.add(name.value());
    args.add(file);
    run(command(CHANGE_TIMEOUT, args), "save domain " + name + " to " + file, name);
  }

  @Override
  public void restore(String fileOnHost, boolean paused) {
    String file = absolute(fileOnHost);
    List<String> args = new ArrayList<>(List.of("restore"));
    if (paused) {
      args.add("-p");
    }
    args.add(file);
    run(command(CHANGE_TIMEOUT, args), "restore domain from " + file, null);
  }

  /** A path on the host that is safe as one argv word: absolute, no {@code ..}, no control characters. */
  static String absolute(String path) {
    if (path == null || !path.startsWith("/") || path.length() > 4096 || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
        || List.of(path.split("/")).contains("..")) {
      throw new IllegalArgumentException("not an absolute path without '..' and control characters: " + path);
    }
    return path;
  }

  @Override
  public String toString() {
    return kind.program() + " on " + hostName();
  }
}
