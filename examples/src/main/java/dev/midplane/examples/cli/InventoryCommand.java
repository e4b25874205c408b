package dev.midplane.examples.cli;

import dev.midplane.core.Host;
import dev.midplane.examples.json.InventoryView;
import dev.midplane.examples.json.Json;
import dev.midplane.sysfs.Sysfs;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code midplane inventory [--root DIR] [--json]}: the storage and network topology of this host,
 * or of a directory holding a {@code sys/} (and {@code proc/}) tree, read from sysfs. The JSON shape
 * is {@link InventoryView}, described by the JSON schema {@code --schema} prints.
 */
@Command(name = "inventory", mixinStandardHelpOptions = true,
    description = {
        "Show the storage and network topology of this host (or of a copied sys/ and proc/ tree).",
        "SCSI paths, multipath maps, bonds, bridges, network devices, SCSI and FC hosts, read from sysfs;",
        "changes nothing.",
        "With --json the shape is stable: see --schema (sizes in bytes, wwid as multipath names it,",
        "bond mode as the kernel's short name)."})
final class InventoryCommand implements Callable<Integer> {
  static final String SCHEMA = "/dev/midplane/examples/json/inventory.schema.json";

  @ParentCommand
  private Midplane parent;

  @Spec
  private CommandSpec spec;

  @Option(names = "--root", paramLabel = "DIR", description = "Read DIR/sys and DIR/proc instead of this host's (default /).")
  private Path root;

  @Option(names = "--json", description = "Print JSON instead of text.")
  private boolean json;

  @Option(names = "--schema", description = "Print the JSON schema of --json's output and exit.")
  private boolean schema;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (schema) {
      out.print(schema());
      out.flush();
      return Midplane.OK;
    }
    Host host;
    if (root == null) {
      host = parent.environment().localHost().get();
    } else {
      if (!Files.isDirectory(root.resolve("sys"))) {
        throw new BadInputException("--root " + root + ": no sys/ directory there (give the directory that holds sys/ and proc/)");
      }
      host = parent.environment().rootedHost().apply(root);
    }
    InventoryView view = InventoryView.of(Sysfs.on(host).topology());
    out.print(json ? Json.pretty(view) + "\n" : InventoryText.render(view));
    out.flush();
    return Midplane.OK;
  }

  /** The JSON schema of the inventory, as shipped in the jar. */
  static String schema() {
    try (InputStream in = InventoryCommand.class.getResourceAsStream(SCHEMA)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + SCHEMA);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
