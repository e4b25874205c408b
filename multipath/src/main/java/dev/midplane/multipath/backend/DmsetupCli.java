package dev.midplane.multipath.backend;

import dev.midplane.core.Host;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.MultipathParseException;
import dev.midplane.multipath.dm.DmInfo;
import dev.midplane.multipath.dm.DmTarget;
import dev.midplane.multipath.dm.DmTreeNode;
import dev.midplane.multipath.dm.DmsetupDevice;
import dev.midplane.multipath.dm.DmsetupOutput;
import dev.midplane.multipath.dm.MultipathStatus;
import dev.midplane.sysfs.DevNumber;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@link DeviceMapper} over the {@code dmsetup} command line. */
final class DmsetupCli implements DeviceMapper {
  /** What dmsetup prints when the named device is not there. */
  static final String NO_SUCH_DEVICE = "Device does not exist";
  /** What the ioctl commands ({@code table}, {@code status}, {@code suspend} …) say of a missing device: ENXIO. */
  static final String NO_SUCH_DEVICE_IOCTL = "failed: No such device or address";

  private final Cli cli;

  DmsetupCli(Host host, Duration timeout) {
    this.cli = new Cli(host, timeout);
  }

  /** Runs a command about one device; the device's absence becomes {@link NotFoundException}. */
  private CommandResult about(MapName name, String... argv) {
    CommandResult r = cli.run(argv);
    if (r.exitCode() != 0 && (r.stderr().contains(NO_SUCH_DEVICE) || r.stderr().contains(NO_SUCH_DEVICE_IOCTL))) {
      throw new NotFoundException("device-mapper device", name.value(), "`" + r.command() + "` on " + cli.hostName()
          + ": " + r.stderr().strip());
    }
    return r.requireSuccess(cli.hostName());
  }

  @Override
  public List<DmsetupDevice> multipathMaps() {
    return DmsetupOutput.ls(cli.execute("dmsetup", "ls", "--target", "multipath").stdout());
  }

  @Override
  public List<DmTreeNode> tree() {
    return DmsetupOutput.lsTree(cli.execute("dmsetup", "ls", "--tree").stdout());
  }

  @Override
  public Optional<DmInfo> info(MapName name) {
    CommandResult r;
    try {
      r = about(name, "dmsetup", "info", "-c", name.value());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
    List<DmInfo> infos = DmsetupOutput.infoColumns(r.stdout());
    if (infos.size() != 1 || !infos.get(0).name().equals(name.value())) {
      throw new MultipathParseException("dmsetup info -c " + name, 0, "",
          "expected one row for " + name + ", got " + infos.stream().map(DmInfo::name).toList());
    }
    return Optional.of(infos.get(0));
  }

  @Override
  public DmTarget table(MapName name) {
    return DmsetupOutput.multipathTarget(about(name, "dmsetup", "table", name.value()).stdout());
  }

  @Override
  public MultipathStatus status(MapName name) {
    return DmsetupOutput.multipathStatus(about(name, "dmsetup", "status", name.value()).stdout());
  }

  @Override
  public List<DevNumber> dependencies(MapName name) {
    return DmsetupOutput.deps(about(name, "dmsetup", "deps", name.value()).stdout());
  }

  @Override
  public void suspend(MapName name) {
    about(name, "dmsetup", "suspend", name.value());
  }

  @Override
  public void reload(MapName name, DmTarget table) {
    table.multipathTable();
    about(name, "dmsetup", "reload", name.value(), "--table", table.toString());
  }

  @Override
  public void clear(MapName name) {
    about(name, "dmsetup", "clear", name.value());
  }

  @Override
  public void resume(MapName name) {
    about(name, "dmsetup", "resume", name.value());
  }

  @Override
  public void remove(MapName name) {
    about(name, "dmsetup", "remove", name.value());
  }
}
