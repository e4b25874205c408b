package dev.midplane.examples.cli;

import dev.midplane.examples.demo.Demo;
import dev.midplane.examples.demo.DemoLog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code midplane demo [--json]}: the whole scenario on the embedded simulated chassis. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Run the whole scenario on an embedded simulated two-blade chassis (no root, nothing real touched).",
        "Bonds and bridges, the shared LUN inventory and multipath.conf, LUN scan and maps named after VMs,",
        "two VMs with locked vifs, a LUN grown, a NIC failover, a live migration after its preflight, a refused",
        "preflight, placement after a reboot, a safe LUN removal. Takes about 10 s.",
        "With --json: one JSON object per step and line, {\"step\":N,\"title\":…,\"lines\":[…],\"facts\":{…}}."})
final class DemoCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object per step instead of text.")
  private boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    DemoLog log = new DemoLog(out, json);
    if (!json) {
      out.println("midplane demo: two simulated blades, one simulated FC array (a temporary directory; no root needed)");
    }
    Demo.run(log);
    if (!json) {
      out.printf("%ndone: %d steps in %.1f s%n", log.steps().size(), (System.nanoTime() - start) / 1e9);
    }
    out.flush();
    return Midplane.OK;
  }
}
