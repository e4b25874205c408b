package dev.midplane.examples.cli;

import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.config.ParsedConfig;
import dev.midplane.multipath.inventory.LunInventory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code midplane multipath-conf --inventory FILE [--base FILE]}: the {@code multipath.conf} every
 * host gets from the shared LUN inventory, printed (nothing is written).
 */
@Command(name = "multipath-conf", mixinStandardHelpOptions = true,
    description = {
        "Print the multipath.conf generated from the shared LUN inventory.",
        "Every WWID is blacklisted except the inventory's, each of those named by its alias; the same file",
        "serves every host. Writes nothing.",
        "",
        "Inventory lines: ALIAS WWID [VM]   (# comments; a WWID with spaces in double quotes), e.g.",
        "  vm-web01 3600a0b800026b2820000004d4d2f6b4b web01"})
final class MultipathConfCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--inventory", required = true, paramLabel = "FILE", description = "The shared LUN inventory.")
  private Path inventory;

  @Option(names = "--base", paramLabel = "FILE",
      description = "An existing multipath.conf whose other sections and settings are kept (default: none).")
  private Path base;

  @Override
  public Integer call() {
    LunInventory inv = LunInventory.parse(read(inventory, "--inventory"), inventory.toString());
    MultipathConfig start = MultipathConfig.empty();
    if (base != null) {
      ParsedConfig parsed = MultipathConfig.parseWithWarnings(read(base, "--base"), base.toString());
      if (parsed.hasFatal()) {
        throw new BadInputException("--base " + base + ": multipath-tools would reject this file: "
            + parsed.warnings().stream().filter(w -> w.fatal()).map(Object::toString).toList());
      }
      start = parsed.config();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(inv.toConfig(start).write());
    out.flush();
    return Midplane.OK;
  }

  static String read(Path file, String option) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException(option + " " + file + ": no such file");
    } catch (IOException e) {
      throw new BadInputException(option + " " + file + ": cannot read: " + e.getMessage());
    }
  }
}
